package scorer

import (
	"fmt"
	"testing"
	"time"
)

func TestRecordCache(t *testing.T) {
	clock := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	c := NewRecordCache(10, 2*time.Second, func() time.Time { return clock })
	read := clock
	c.Put("a.com", read, Record{Profile: Profile{Domain: "a.com", Name: "A"}})

	tests := []struct {
		name  string
		after time.Duration
		found bool
	}{
		{"just read", 0, true},
		{"at the TTL", 2 * time.Second, true},
		{"past the TTL", 2*time.Second + time.Nanosecond, false},
		{"clock went back", -time.Second, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock = read.Add(tc.after)
			rec, ok := c.Get("a.com")
			if ok != tc.found || ok && rec.Profile.Name != "A" {
				t.Errorf("Get after %s = %+v, %v; want found %v", tc.after, rec.Profile, ok, tc.found)
			}
		})
	}
	clock = read
	if _, ok := c.Get("b.com"); ok {
		t.Error("found a record never put")
	}
	for i := range 25 {
		c.Put(fmt.Sprintf("c%d.com", i), read, Record{})
	}
	if n := len(c.m); n > 10 {
		t.Errorf("cache holds %d records, want at most 10", n)
	}
	if _, ok := c.Get("c24.com"); !ok {
		t.Error("the record put last is gone")
	}
	if r := c.HitRate(); !(r > 0 && r < 1) {
		t.Errorf("hit rate %g, want within (0, 1)", r)
	}
}
