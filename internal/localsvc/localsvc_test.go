package localsvc

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestLookPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // only the sbin folders can help
	tests := []struct {
		name    string
		bin     string
		want    string // path found, or "" for an error
		wantErr []string
	}{
		{"in /usr/sbin", "clickhouse-server", "/usr/sbin/clickhouse-server", nil},
		{"missing", "no-such-server", "", []string{"no-such-server not found", "install the Debian package no-such-server", "make deps"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LookPath(tt.bin)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("LookPath(%q) = %q, %v; want %q", tt.bin, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("LookPath(%q) = %q, want an error", tt.bin, got)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("LookPath(%q) error %q does not say %q", tt.bin, err, s)
				}
			}
		})
	}
}

func TestLookPathPrefersPATH(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "clickhouse-server")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	if got, err := LookPath("clickhouse-server"); err != nil || got != bin {
		t.Fatalf("LookPath = %q, %v; want %q from PATH", got, err, bin)
	}
}

func TestFreePorts(t *testing.T) {
	ports, err := FreePorts(3)
	if err != nil {
		t.Fatalf("FreePorts: %v", err)
	}
	seen := map[int]bool{}
	for _, port := range ports {
		if seen[port] {
			t.Fatalf("FreePorts(3) = %v: %d twice", ports, port)
		}
		seen[port] = true
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatalf("listen on the free port %d: %v", port, err)
		}
		ln.Close()
	}
}

func TestTail(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content *string // nil: no file
		want    string
	}{
		{"missing", nil, "(no such file)\n"},
		{"empty", ptr(""), "(empty)\n"},
		{"short", ptr("a\nb\n"), "a\nb\n"},
		{"long", ptr("a\nb\nc\nd\n\n"), "c\nd\n"},
		{"no final newline", ptr("a\nb\nc"), "b\nc\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if tt.content != nil {
				if err := os.WriteFile(path, []byte(*tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := tail(path, 2); got != tt.want {
				t.Fatalf("tail = %q, want %q", got, tt.want)
			}
		})
	}
}

func ptr(s string) *string { return &s }

// takePort listens on a free port of 127.0.0.1 until the test ends, closing
// every connection at once, as a server that speaks another protocol would,
// and returns the port.
func takePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// freePort returns a port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ports, err := FreePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	return ports[0]
}

// assertStartError checks that a start on a taken port failed once, without
// trying again, and that the error shows why.
func assertStartError(t *testing.T, err error, logFile string) {
	t.Helper()
	if err == nil {
		t.Fatal("started on a taken port")
	}
	msg := err.Error()
	for _, want := range []string{"exited before answering", "exited: exit status", "last lines of " + logFile, "Address already in use"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "exited before answering"); n != 1 {
		t.Errorf("%d attempts on a fixed port, want 1:\n%s", n, msg)
	}
}

// assertStops stops a server with stop and checks that its process has been
// reaped, that it answers ping no more, and that stopping it again is no
// error.
func assertStops(t *testing.T, stop func() error, p *process, ping func() error) {
	t.Helper()
	if err := stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !p.exited() {
		t.Fatal("Stop returned before the process was reaped")
	}
	if err := ping(); err == nil {
		t.Fatal("server still answers after Stop")
	}
	if err := stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}
