package pipelines_test

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

func groupLag(cl *kgo.Client, group string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lags, err := kadm.NewClient(cl).Lag(ctx, group)
	if err != nil {
		return -1, err
	}
	gl, ok := lags[group]
	if !ok || gl.Error() != nil || len(gl.Lag) == 0 {
		return -1, fmt.Errorf("group %s not ready: %v", group, gl.Error())
	}
	return gl.Lag.Total(), nil
}
