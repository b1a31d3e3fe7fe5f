import numpy as np, sys
n=int(sys.argv[1]); kind=sys.argv[2]; out=sys.argv[3]
rng=np.random.default_rng(42)
if kind=='random':
    c=rng.integers(0,100000,size=(n,n))
else:
    a=rng.random((n,3)); b=rng.random((n,3))
    c=np.rint(a@b.T*30000).astype(np.int64)+rng.integers(0,10,size=(n,n))
with open(out,'w') as f:
    f.write(f"dense {n} {n} int min\n")
    for row in c:
        f.write(' '.join(map(str,row.tolist()))); f.write('\n')
import scipy.optimize as so, time
t=time.perf_counter(); r,cc=so.linear_sum_assignment(c); t=time.perf_counter()-t
print("scipy", int(c[r,cc].sum()), round(t,3))
