package redisstore

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Snapshot is the content of the online store, key by key, in a form that compares
// independent of how Redis encodes it: hashes and sets as maps, sorted sets as
// member → score.
type Snapshot map[string]map[string]string

// Snapshot reads every key of the online store. It is meant for verification and
// tests, not for the request path.
func (s *Store) Snapshot(ctx context.Context) (Snapshot, error) {
	out := Snapshot{}
	iter := s.rdb.Scan(ctx, 0, "lp:*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		if !isOnlineKey(k) {
			continue
		}
		m := map[string]string{}
		switch typ, err := s.rdb.Type(ctx, k).Result(); {
		case err != nil:
			return nil, fmt.Errorf("snapshot %s: %w", k, err)
		case typ == "hash":
			if m, err = s.rdb.HGetAll(ctx, k).Result(); err != nil {
				return nil, fmt.Errorf("snapshot %s: %w", k, err)
			}
			decodeWeightFields(m)
		case typ == "zset":
			zs, err := s.rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
			if err != nil {
				return nil, fmt.Errorf("snapshot %s: %w", k, err)
			}
			for _, z := range zs {
				m[z.Member.(string)] = strconv.FormatFloat(z.Score, 'g', 17, 64)
			}
		case typ == "set":
			ms, err := s.rdb.SMembers(ctx, k).Result()
			if err != nil {
				return nil, fmt.Errorf("snapshot %s: %w", k, err)
			}
			for _, v := range ms {
				m[v] = ""
			}
		case typ == "none":
			continue
		default:
			v, err := s.rdb.Get(ctx, k).Result()
			if err != nil && err != redis.Nil {
				return nil, fmt.Errorf("snapshot %s: %w", k, err)
			}
			m[""] = v
		}
		out[k] = m
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return out, nil
}

// decodeWeightFields replaces each weightField of a company hash by two fields in
// text, "<field>/fast" and "<field>/base", so that Diff compares them as numbers; a
// value that is not a pair of weights stays as it is.
func decodeWeightFields(m map[string]string) {
	var fields []string
	for f := range m {
		if strings.HasPrefix(f, weightFieldPrefix) {
			fields = append(fields, f)
		}
	}
	for _, f := range fields {
		if fast, base, ok := decodeWeights(m[f]); ok {
			delete(m, f)
			m[f+"/fast"] = strconv.FormatFloat(fast, 'g', 17, 64)
			m[f+"/base"] = strconv.FormatFloat(base, 'g', 17, 64)
		}
	}
}

// Diff lists the differences between two snapshots, at most limit of them. Values
// that parse as numbers are equal when they differ by at most tol relative: sums of
// floating-point weights depend, in their last bits, on the order of addition, and
// that order is not the same between two passes over the same events.
func Diff(a, b Snapshot, tol float64, limit int) []string {
	var out []string
	add := func(format string, args ...any) bool {
		out = append(out, fmt.Sprintf(format, args...))
		return len(out) < limit
	}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		am, aok := a[k]
		bm, bok := b[k]
		if !aok || !bok {
			if !add("key %s only in one snapshot (first: %v, second: %v)", k, aok, bok) {
				return out
			}
			continue
		}
		fields := map[string]bool{}
		for f := range am {
			fields[f] = true
		}
		for f := range bm {
			fields[f] = true
		}
		for f := range fields {
			av, aok := am[f]
			bv, bok := bm[f]
			if aok && bok && (av == bv || numbersClose(av, bv, tol)) {
				continue
			}
			if !add("key %s field %.80q: %q (present %v) vs %q (present %v)", k, f, av, aok, bv, bok) {
				return out
			}
		}
	}
	return out
}

func numbersClose(a, b string, tol float64) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= tol*math.Max(math.Abs(x), math.Abs(y))
}
