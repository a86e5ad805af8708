package loadtest

import (
	"encoding/json"
	"fmt"

	"github.com/leadpoet/leadpoet/internal/eval"
)

// queryBody is the JSON of a POST /query request.
type queryBody struct {
	Query   string        `json:"query"`
	Limit   int           `json:"limit"`
	Filters *eval.Filters `json:"filters,omitempty"`
}

// QueryBodies returns n request bodies (0: ten per prompt) cycling through the prompt set of the
// evaluation's categories: products inside and outside a typical taxonomy, with
// explicit filters, filters stated only in words, or none. Every tenth request asks
// for 100 leads, the others for 25.
func QueryBodies(n int) ([][]byte, error) {
	prompts := eval.Prompts(eval.Categories())
	if n <= 0 {
		n = 10 * len(prompts) // every prompt at both limits
	}
	out := make([][]byte, n)
	for i := range out {
		p := prompts[i%len(prompts)]
		limit := 25
		if i%10 == 9 {
			limit = 100
		}
		b, err := json.Marshal(queryBody{Query: p.Text, Limit: limit, Filters: p.Explicit})
		if err != nil {
			return nil, fmt.Errorf("encode query %s: %w", p.ID, err)
		}
		out[i] = b
	}
	return out, nil
}
