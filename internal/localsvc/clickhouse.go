package localsvc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

const (
	// clickHouseConfig is the server configuration the Debian package
	// installs; the command line overrides its paths and ports.
	clickHouseConfig = "/etc/clickhouse-server/config.xml"

	clickHouseStartTimeout = time.Minute
	clickHouseStopGrace    = 5 * time.Second
)

// ClickHouseOptions says where a clickhouse-server listens and keeps its
// files.
type ClickHouseOptions struct {
	Port     int // native protocol TCP port on 127.0.0.1; 0 for a free one
	HTTPPort int // HTTP port on 127.0.0.1; 0 for a free one
	// Dir holds the server's files: data/ (kept from an earlier run if it
	// exists), tmp/, user_files/, format_schemas/ and logs/. It is created if
	// missing.
	Dir string
	// StartTimeout bounds how long the server may take to answer; 0 means
	// a minute. ClickHouse 18.16 answers within about 0.1 s on an empty
	// data folder.
	StartTimeout time.Duration
}

// ClickHouse is a running clickhouse-server started by StartClickHouse. It
// answers the native protocol on Addr and HTTP on HTTPAddr, as user default
// without a password.
type ClickHouse struct {
	addr, httpAddr string
	proc           *process
}

// StartClickHouse starts clickhouse-server with the Debian package's
// configuration, overriding every path to one under opts.Dir and every port,
// and waits until both its native and HTTP ports answer. The interserver
// port, which a single server does not use, is always a free one.
//
// If both ports are free ones, a server that exits before answering
// (another process took a port first) is started again on fresh ports, up to
// three times; with a fixed port a failed start is returned as it is. The
// error of a failed start includes the server's exit status and the tails of
// its logs, which say, for example, "Address already in use".
func StartClickHouse(opts ClickHouseOptions) (*ClickHouse, error) {
	bin, err := prepare("clickhouse-server", opts.Dir, "data", "tmp", "user_files", "format_schemas", "logs")
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(clickHouseConfig); err != nil {
		return nil, fmt.Errorf("clickhouse-server configuration: %w; install the Debian package clickhouse-server, or run `make deps`", err)
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = clickHouseStartTimeout
	}
	return startRetrying(opts.Port == 0 && opts.HTTPPort == 0, func() (*ClickHouse, error) {
		return startClickHouse(bin, opts)
	})
}

// startClickHouse starts one clickhouse-server and waits until it answers.
func startClickHouse(bin string, opts ClickHouseOptions) (*ClickHouse, error) {
	ports, err := FreePorts(3)
	if err != nil {
		return nil, fmt.Errorf("find free ports: %w", err)
	}
	// A fixed port nothing listens on yet may be among the free ones; the
	// others must differ from it. Dropping the fixed ports leaves enough.
	free := slices.DeleteFunc(ports, func(p int) bool { return p == opts.Port || p == opts.HTTPPort })
	next := func(fixed int) int {
		if fixed != 0 {
			return fixed
		}
		p := free[0]
		free = free[1:]
		return p
	}
	tcpPort, httpPort, interPort := next(opts.Port), next(opts.HTTPPort), next(0)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(tcpPort))
	httpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort))
	dir := opts.Dir
	logs := filepath.Join(dir, "logs")
	logPath, errPath := filepath.Join(logs, "server.log"), filepath.Join(logs, "server.err.log")
	args := []string{
		"--config-file=" + clickHouseConfig,
		"--",
		"--path=" + filepath.Join(dir, "data") + "/",
		"--tmp_path=" + filepath.Join(dir, "tmp") + "/",
		"--user_files_path=" + filepath.Join(dir, "user_files") + "/",
		"--format_schema_path=" + filepath.Join(dir, "format_schemas") + "/",
		"--listen_host=127.0.0.1",
		"--tcp_port=" + strconv.Itoa(tcpPort),
		"--http_port=" + strconv.Itoa(httpPort),
		"--interserver_http_port=" + strconv.Itoa(interPort),
		"--logger.log=" + logPath,
		"--logger.errorlog=" + errPath,
	}
	p, err := startProcess(bin, args, filepath.Join(logs, "stdout.log"), errPath)
	if err != nil {
		return nil, err
	}
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{addr},
		Auth:        clickhouse.Auth{Username: "default"},
		DialTimeout: 2 * time.Second,
	})
	if err != nil {
		return nil, p.startFailed("clickhouse-server", addr, err)
	}
	defer conn.Close()
	ready := func() error {
		if err := pingHTTP(httpAddr); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return conn.Ping(ctx)
	}
	if err := p.waitReady(opts.StartTimeout, 20*time.Millisecond, ready); err != nil {
		return nil, p.startFailed("clickhouse-server", addr, err)
	}
	return &ClickHouse{addr: addr, httpAddr: httpAddr, proc: p}, nil
}

// Addr returns the native protocol's "127.0.0.1:port".
func (c *ClickHouse) Addr() string { return c.addr }

// HTTPAddr returns the HTTP interface's "127.0.0.1:port".
func (c *ClickHouse) HTTPAddr() string { return c.httpAddr }

// Stop asks the server to exit, kills it if it has not within 5 seconds (it
// waits for open connections first), and waits until it has been reaped. It
// returns an error, with Describe's account, if the server had exited on its
// own before. Calling Stop again returns the same. The data folder is kept.
func (c *ClickHouse) Stop() error { return c.proc.stop(clickHouseStopGrace) }

// Describe says whether the server is running or how it exited, and shows the
// tails of its logs, for error messages.
func (c *ClickHouse) Describe() string { return c.proc.describe() }

// pingHTTP checks ClickHouse's HTTP interface, which answers /ping with "Ok.".
func pingHTTP(addr string) error {
	client := http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/ping")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /ping: %s", resp.Status)
	}
	return nil
}
