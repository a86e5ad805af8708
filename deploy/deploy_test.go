package deploy_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/leadpoet/leadpoet/internal/localsvc"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

func TestMain(m *testing.M) {
	testkit.Main(m)
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}

// root is the module's root folder, where compose.yaml is; deploy/ is below it.
func root(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// path names a file of the module by its slash-separated path from the root.
func path(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(root(t), filepath.FromSlash(rel))
}

func readFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readYAML decodes the YAML file rel into v.
func readYAML(t testing.TB, rel string, v any) {
	t.Helper()
	if err := yaml.Unmarshal(readFile(t, rel), v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

// program finds a program the checks run, or fails saying how to install it.
func program(t testing.TB, name, pkg string) string {
	t.Helper()
	bin, err := localsvc.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: run `make deps` (Debian package %s)", name, pkg)
	}
	return bin
}

// run runs a program in the module root with stdin and returns its combined output.
func run(t testing.TB, stdin []byte, bin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = root(t)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}
