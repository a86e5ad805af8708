package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/keystore"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

// leadpoet runs the binary with args and returns stdout, stderr and the exit code.
func leadpoet(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run leadpoet %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

// TestKeysCreateListRevoke: `leadpoet keys` round trip against a real Redis; the
// created secret authenticates through the key store until it is revoked.
func TestKeysCreateListRevoke(t *testing.T) {
	addr := testkit.Redis(t)
	flagAddr := "-redis.addr=" + addr
	out, errOut, code := leadpoet(t, nil, "keys", "create", "--scopes", "query,quality:read", "--plan", "standard", "--name", "ci reporting", flagAddr)
	if code != 0 {
		t.Fatalf("keys create exited %d:\n%s%s", code, out, errOut)
	}
	secret := strings.TrimSpace(out)
	if !regexp.MustCompile(`^lp_[0-9A-Za-z]{43}$`).MatchString(secret) {
		t.Fatalf("keys create printed %q on stdout, want the secret alone", out)
	}
	m := regexp.MustCompile(`created API key (lpk_[0-9a-f]{16})`).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("keys create did not name the key id on stderr:\n%s", errOut)
	}
	id := m[1]

	rdb := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	defer rdb.Close()
	ks := keystore.New(rdb, keystore.Options{})
	info, err := ks.Check(t.Context(), secret)
	if err != nil || info.ID != id || strings.Join(info.Scopes, ",") != "query,quality:read" || info.Plan != "standard" {
		t.Fatalf("the printed secret checks as %+v, %v", info, err)
	}

	// Configured by environment this time; flags after the subcommand's argument.
	env := []string{"LEADPOET_REDIS_ADDR=" + addr}
	out, errOut, code = leadpoet(t, env, "keys", "list")
	if code != 0 {
		t.Fatalf("keys list exited %d:\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, secret) || strings.Contains(out, secret[3:]) || strings.Contains(out, api.HashKey(secret)) {
		t.Errorf("keys list shows the secret or its hash:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || strings.Join(strings.Fields(lines[0]), " ") != "ID NAME SCOPES PLAN CREATED REVOKED" {
		t.Fatalf("keys list:\n%s", out)
	}
	for _, want := range []string{id, "ci reporting", "query,quality:read", "standard"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("keys list row lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(lines[1]), " -") {
		t.Errorf("an active key's REVOKED column is not -:\n%s", out)
	}

	out, errOut, code = leadpoet(t, nil, "keys", "revoke", id, flagAddr)
	if code != 0 || !strings.Contains(out, "revoked API key "+id) {
		t.Fatalf("keys revoke exited %d:\n%s%s", code, out, errOut)
	}
	if _, err := ks.Check(t.Context(), secret); !errors.Is(err, api.ErrUnknownKey) {
		t.Errorf("Check after revoke = %v, want ErrUnknownKey", err)
	}
	out, _, code = leadpoet(t, env, "keys", "list", "-json")
	var recs []keystore.Record
	if err := json.Unmarshal([]byte(out), &recs); err != nil || code != 0 {
		t.Fatalf("keys list -json exited %d: %v\n%s", code, err, out)
	}
	if len(recs) != 1 || recs[0].ID != id || !recs[0].Revoked() || strings.Contains(out, secret) {
		t.Errorf("keys list -json after revoke:\n%s", out)
	}
}

func TestKeysErrors(t *testing.T) {
	addr := "-redis.addr=" + testkit.Redis(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"keys"}, "missing subcommand"},
		{"unknown subcommand", []string{"keys", "rotate"}, `unknown subcommand "rotate"`},
		{"create without name", []string{"keys", "create", addr}, "-name is required"},
		{"unknown scope", []string{"keys", "create", "-name=x", "-scopes=query,write", addr}, `unknown scope "write"`},
		{"unknown plan", []string{"keys", "create", "-name=x", "-plan=gold", addr}, `unknown plan "gold"`},
		{"revoke without id", []string{"keys", "revoke", addr}, "one key id"},
		{"revoke unknown id", []string{"keys", "revoke", "lpk_0000000000000000", addr}, "no such API key"},
		{"redis down", []string{"keys", "list", "-redis.addr=127.0.0.1:1"}, "redis.addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := leadpoet(t, nil, tt.args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("leadpoet %v exited %d, want an error naming %q:\n%s%s", tt.args, code, tt.want, out, errOut)
			}
		})
	}
	out, _, code := leadpoet(t, nil, "help")
	if code != 0 || !strings.Contains(out, "  keys ") {
		t.Errorf("help does not list keys:\n%s", out)
	}
}
