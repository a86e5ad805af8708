package localsvc

import (
	"bufio"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	redisStartTimeout = 10 * time.Second
	redisStopGrace    = 5 * time.Second
)

// RedisOptions says where a redis-server listens and keeps its files.
type RedisOptions struct {
	Port int    // TCP port on 127.0.0.1; 0 for a free one
	Dir  string // working folder, holding the server's log (redis.log); created if missing
}

// Redis is a running redis-server started by StartRedis.
type Redis struct {
	addr string
	proc *process
}

// StartRedis starts a redis-server on 127.0.0.1 with persistence off, so it
// starts empty and writes no data, and waits until it answers PING.
//
// On a fixed port a failed start is returned as it is; on port 0 a server
// that exits before answering (another process took the free port first) is
// started again on a fresh port, up to three times. The error of a failed
// start includes the server's exit status and the tail of its log, which
// says, for example, "Address already in use".
func StartRedis(opts RedisOptions) (*Redis, error) {
	bin, err := prepare("redis-server", opts.Dir)
	if err != nil {
		return nil, err
	}
	return startRetrying(opts.Port == 0, func() (*Redis, error) {
		return startRedis(bin, opts)
	})
}

// startRedis starts one redis-server and waits until it answers PING.
func startRedis(bin string, opts RedisOptions) (*Redis, error) {
	port := opts.Port
	if port == 0 {
		ports, err := FreePorts(1)
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		port = ports[0]
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--dir", opts.Dir,
	}
	p, err := startProcess(bin, args, filepath.Join(opts.Dir, "redis.log"))
	if err != nil {
		return nil, err
	}
	if err := p.waitReady(redisStartTimeout, 5*time.Millisecond, func() error { return PingRedis(addr) }); err != nil {
		return nil, p.startFailed("redis-server", addr, err)
	}
	return &Redis{addr: addr, proc: p}, nil
}

// Addr returns the server's "127.0.0.1:port".
func (r *Redis) Addr() string { return r.addr }

// Stop asks the server to exit, kills it if it has not within 5 seconds, and
// waits until it has been reaped. It returns an error, with Describe's
// account, if the server had exited on its own before. Calling Stop again
// returns the same.
func (r *Redis) Stop() error { return r.proc.stop(redisStopGrace) }

// Describe says whether the server is running or how it exited, and shows the
// tail of its log, for error messages.
func (r *Redis) Describe() string { return r.proc.describe() }

// PingRedis sends PING over RESP to addr and expects PONG.
func PingRedis(addr string) error {
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
