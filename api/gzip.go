package api

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// compressor gzips responses. Its pool recycles the compressors: a gzip.Writer
// holds hundreds of kilobytes of state, too much to allocate per response.
type compressor struct{ pool sync.Pool }

func newCompressor() *compressor {
	return &compressor{pool: sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // BestSpeed is a valid level
		return w
	}}}
}

// handle gzips the response body when the client accepts gzip. It
// always sets Vary: Accept-Encoding, so that caches keep the two forms apart. The
// request's Accept-Encoding is removed once the response is compressed here, so
// that handlers that compress on their own (promhttp) send plain bytes.
func (z *compressor) handle(c *gin.Context) {
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(c.Request.Header.Get("Accept-Encoding")) || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	c.Request.Header.Del("Accept-Encoding")
	w := &gzipWriter{ResponseWriter: c.Writer, pool: &z.pool}
	c.Writer = w
	defer func() {
		w.close()
		if c.Writer == w {
			c.Writer = w.ResponseWriter
		}
	}()
	c.Next()
}

// acceptsGzip reports whether an Accept-Encoding value accepts gzip (or *) with a
// non-zero quality.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// gzipWriter compresses what is written through it. It decides at the first
// write: bodies of statuses that carry none (204, 304) and responses that are
// already encoded pass through.
type gzipWriter struct {
	gin.ResponseWriter
	pool    *sync.Pool
	gz      *gzip.Writer
	decided bool
}

func (w *gzipWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.ResponseWriter.Header()
	switch st := w.ResponseWriter.Status(); {
	case st == http.StatusNoContent, st == http.StatusNotModified, st < 200:
		return
	case h.Get("Content-Encoding") != "":
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	w.gz = w.pool.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.gz == nil {
		return w.ResponseWriter.Write(b)
	}
	w.ResponseWriter.WriteHeaderNow()
	return w.gz.Write(b)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// Flush sends what has been compressed so far.
func (w *gzipWriter) Flush() {
	if w.gz != nil {
		_ = w.gz.Flush() // a write error surfaces on the next Write
	}
	w.ResponseWriter.Flush()
}

// close ends the gzip stream and recycles the compressor. Nothing is written
// when the handler wrote no body.
func (w *gzipWriter) close() {
	if w.gz == nil {
		return
	}
	_ = w.gz.Close() // the client has gone if this fails; nothing to tell it
	w.gz.Reset(nil)
	w.pool.Put(w.gz)
	w.gz = nil
}
