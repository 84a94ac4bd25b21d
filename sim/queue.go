package sim

import "time"

// evKind is an internal event of the loop.
type evKind uint8

const (
	evTick evKind = iota
	evScenario
	evRegister
	evTaskRunning
	evTaskHealthy
	evTaskStopped
	evSpotNotice
	evReclaim
	evTerminate
)

type item struct {
	t    time.Duration
	seq  uint64
	kind evKind
	a    int32 // task, instance or scenario-event index
}

// queue is a binary min-heap on (t, seq), kept as values so that pushing an
// event allocates nothing once the slice has grown.
type queue struct {
	h   []item
	seq uint64
}

func (q *queue) less(i, j int) bool {
	a, b := &q.h[i], &q.h[j]
	if a.t != b.t {
		return a.t < b.t
	}
	return a.seq < b.seq
}

func (q *queue) push(t time.Duration, k evKind, a int32) {
	q.seq++
	q.h = append(q.h, item{t: t, seq: q.seq, kind: k, a: a})
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

func (q *queue) pop() item {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && q.less(l, m) {
			m = l
		}
		if r < n && q.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return top
}

func (q *queue) len() int { return len(q.h) }
