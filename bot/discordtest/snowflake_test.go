package discordtest

import (
	"testing"
	"time"
)

func TestSnowflakesIncreaseAndCarryTime(t *testing.T) {
	var g snowflakes
	prev := ""
	for i := 0; i < 1000; i++ {
		id := g.next()
		if prev != "" && (len(id) < len(prev) || len(id) == len(prev) && id <= prev) {
			t.Fatalf("id %s not after %s", id, prev)
		}
		prev = id
	}
	ts, err := snowflakeTime(prev)
	if err != nil || time.Since(ts) > time.Minute || time.Until(ts) > time.Minute {
		t.Errorf("time of %s = %v, %v", prev, ts, err)
	}
}
