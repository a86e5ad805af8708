package testkit

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RedisAddrEnv names the environment variable that points Redis at a server
// that is already running instead of starting one per test.
const RedisAddrEnv = "LEADPOET_TEST_REDIS_ADDR"

// redisStartTimeout bounds how long a new redis-server may take to answer.
const redisStartTimeout = 10 * time.Second

// Redis starts a redis-server of its own for the calling test, listening on a
// free port of 127.0.0.1 with persistence off and its working folder in
// t.TempDir(), waits until it answers PING and returns its "host:port". The
// server is stopped when the test ends. It starts in milliseconds, so every
// call gets a new, empty server.
//
// If LEADPOET_TEST_REDIS_ADDR is set, Redis returns that address after
// checking that it answers PING, and starts nothing. Every test then shares
// that server and its keys: keeping tests apart (distinct keys, or flushing
// between tests run one package at a time with -p 1) is up to the user.
func Redis(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(RedisAddrEnv); addr != "" {
		if err := redisPing(addr); err != nil {
			t.Fatalf("redis at %s=%s: %v", RedisAddrEnv, addr, err)
		}
		return addr
	}

	bin, err := lookPath("redis-server")
	if err != nil {
		t.Fatalf("start redis: %v", err)
	}
	dir := t.TempDir()
	var failures []string
	for attempt := 1; attempt <= startAttempts; attempt++ {
		addr, p, err := startRedis(bin, dir, attempt)
		if err == nil {
			t.Cleanup(func() { p.stop(5 * time.Second) })
			return addr
		}
		failures = append(failures, err.Error())
		if !errors.Is(err, errExited) {
			break
		}
	}
	t.Fatalf("start redis-server:\n%s", strings.Join(failures, "\n"))
	return ""
}

// startRedis starts one redis-server on a free port and waits until it
// answers PING.
func startRedis(bin, dir string, attempt int) (string, *process, error) {
	ports, err := freePorts(1)
	if err != nil {
		return "", nil, fmt.Errorf("find a free port: %w", err)
	}
	port := strconv.Itoa(ports[0])
	addr := net.JoinHostPort("127.0.0.1", port)
	args := []string{
		"--port", port,
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--dir", dir,
	}
	out := filepath.Join(dir, fmt.Sprintf("redis-%d.log", attempt))
	p, err := startProcess(bin, args, out)
	if err != nil {
		return "", nil, err
	}
	if err := p.waitReady(redisStartTimeout, 5*time.Millisecond, func() error { return redisPing(addr) }); err != nil {
		desc := p.describe()
		p.stop(0)
		return "", nil, fmt.Errorf("redis-server on %s: %w\n%s", addr, err, desc)
	}
	return addr, p, nil
}

// redisPing sends PING over RESP and expects PONG.
func redisPing(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	if _, err := conn.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("read PING reply: %w", err)
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
}
