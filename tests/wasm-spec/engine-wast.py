#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# engine-wast.py - writes engine.wast (python3 engine-wast.py > engine.wast):
# the expected values are worked out here, in Python, not by the engine.
import struct
M32=0xffffffff; M64=(1<<64)-1
mem=bytes((0x80+i*7)&0xff for i in range(64))
# floats at 48 (f64 1.5) and 56 (f32 2.5, f32 -0.75)
mem=bytearray(mem); mem[48:56]=struct.pack('<d',1.5); mem[56:60]=struct.pack('<f',2.5); mem[60:64]=struct.pack('<f',-0.75)
mem=bytes(mem)
def ld(kind, ea):
    if kind=='i32.load': return struct.unpack_from('<I',mem,ea)[0]
    if kind=='i32.load8_s': return struct.unpack_from('<b',mem,ea)[0]&M32
    if kind=='i32.load8_u': return mem[ea]
    if kind=='i32.load16_s': return struct.unpack_from('<h',mem,ea)[0]&M32
    if kind=='i32.load16_u': return struct.unpack_from('<H',mem,ea)[0]
    if kind=='i64.load': return struct.unpack_from('<Q',mem,ea)[0]
ops32={'add':lambda a,b:(a+b)&M32,'sub':lambda a,b:(a-b)&M32,'mul':lambda a,b:(a*b)&M32,'and':lambda a,b:a&b,'or':lambda a,b:a|b,'xor':lambda a,b:a^b}
ops64={k:(lambda f:(lambda a,b:f(a,b)&M64))(v) for k,v in {'add':lambda a,b:a+b,'sub':lambda a,b:a-b,'mul':lambda a,b:a*b,'and':lambda a,b:a&b,'or':lambda a,b:a|b,'xor':lambda a,b:a^b}.items()}
size={'i32.load':4,'i32.load8_s':1,'i32.load8_u':1,'i32.load16_s':2,'i32.load16_u':2,'i64.load':8}
def s32(v): return str(v-(1<<32) if v>=1<<31 else v)
def s64(v): return str(v-(1<<64) if v>=1<<63 else v)
out=[]
w=out.append
w(';; engine.wast - the interpreter\'s fused forms (compile.c rewrites) against')
w(';; values worked out by engine-wast.py: binary ops with an operand loaded from')
w(';; memory (M forms: second operand from a slot or from the previous result,')
w(';; address with a folded constant, wrapping mod 2^32, traps), copies')
w(';; merged in pairs (COPY2), loop counters fused with the compare and')
w(';; branch back (ACMPL, ACMPIL), results stored back where an operand was')
w(';; loaded from (RMW forms) and integer ops with a constant feeding the next')
w(';; op (II forms), run by')
w(';; tests/wasm-spec/engine.sh through the spec runner.')
w('(module')
w('  (memory 1)')
w('  (data (i32.const 0) "%s")' % ''.join('\\%02x'%b for b in mem))
funcs=[]; asserts=[]
def I(t,v): return '(%s.const %s)'%(t, s32(v) if t=='i32' else s64(v))
cases32=[(0,7),(12,0xdeadbeef),(40,0xffffffff)]
for kind in ['i32.load','i32.load8_s','i32.load8_u','i32.load16_s','i32.load16_u']:
    for op,f in ops32.items():
        n='%s_%s'%(op,kind.split('.')[1])
        # M: second operand from memory, first a local
        w('  (func (export "m_%s") (param $p i32) (param $x i32) (result i32)'%n)
        w('    (i32.%s (local.get $x) (%s offset=4 (local.get $p))))'%(op,kind))
        # MA: first operand the previous result, address p + 8 (folded, wraps)
        w('  (func (export "ma_%s") (param $p i32) (param $x i32) (param $y i32) (result i32)'%n)
        w('    (i32.%s (i32.mul (local.get $x) (local.get $y)) (%s offset=4 (i32.add (local.get $p) (i32.const 8)))))'%(op,kind))
        for p,x in cases32:
            asserts.append('(assert_return (invoke "m_%s" %s %s) %s)'%(n,I('i32',p),I('i32',x),I('i32',f(x,ld(kind,p+4)))))
            y=3
            asserts.append('(assert_return (invoke "ma_%s" %s %s %s) %s)'%(n,I('i32',p),I('i32',x),I('i32',y),I('i32',f((x*y)&M32,ld(kind,p+12)))))
        # wrap: p = -8, p + 8 = 0 mod 2^32
        asserts.append('(assert_return (invoke "ma_%s" (i32.const -8) (i32.const 5) (i32.const 1)) %s)'%(n,I('i32',f(5,ld(kind,4)))))
        asserts.append('(assert_trap (invoke "m_%s" (i32.const %d) (i32.const 1)) "out of bounds memory access")'%(n,65536-4-size[kind]+1))
        asserts.append('(assert_return (invoke "m_%s" (i32.const %d) (i32.const 1)) %s)'%(n,65536-4-size[kind],I('i32',f(1,0))))
        asserts.append('(assert_trap (invoke "ma_%s" (i32.const 65528) (i32.const 1) (i32.const 1)) "out of bounds memory access")'%n)
        # the offset is added beyond 32 bits: no wrap to a low address
        asserts.append('(assert_trap (invoke "m_%s" (i32.const -1) (i32.const 1)) "out of bounds memory access")'%n)
        asserts.append('(assert_trap (invoke "ma_%s" (i32.const -16) (i32.const 1) (i32.const 1)) "out of bounds memory access")'%n)
for op,f in ops64.items():
    n='%s_i64'%op
    w('  (func (export "m_%s") (param $p i32) (param $x i64) (result i64)'%n)
    w('    (i64.%s (local.get $x) (i64.load offset=4 (local.get $p))))'%op)
    w('  (func (export "ma_%s") (param $p i32) (param $x i64) (param $y i64) (result i64)'%n)
    w('    (i64.%s (i64.mul (local.get $x) (local.get $y)) (i64.load offset=4 (i32.add (local.get $p) (i32.const 8)))))'%op)
    for p,x in [(0,7),(20,0x123456789abcdef0)]:
        asserts.append('(assert_return (invoke "m_%s" %s %s) %s)'%(n,I('i32',p),I('i64',x),I('i64',f(x,ld('i64.load',p+4)))))
        asserts.append('(assert_return (invoke "ma_%s" %s %s %s) %s)'%(n,I('i32',p),I('i64',x),I('i64',3),I('i64',f((x*3)&M64,ld('i64.load',p+12)))))
    asserts.append('(assert_trap (invoke "m_%s" (i32.const 65525) (i64.const 1)) "out of bounds memory access")'%n)
# floats: f64 at 48 = 1.5, f32 at 56 = 2.5
fl={'add':lambda a,b:a+b,'sub':lambda a,b:a-b,'mul':lambda a,b:a*b,'div':lambda a,b:a/b}
for t,addr in [('f64',44),('f32',52)]:
    for op,f in fl.items():
        n='%s_%s'%(op,t)
        w('  (func (export "m_%s") (param $p i32) (param $x %s) (result %s)'%(n,t,t))
        w('    (%s.%s (local.get $x) (%s.load offset=4 (local.get $p))))'%(t,op,t))
        w('  (func (export "ma_%s") (param $p i32) (param $x %s) (param $y %s) (result %s)'%(n,t,t,t))
        w('    (%s.%s (%s.mul (local.get $x) (local.get $y)) (%s.load offset=4 (i32.add (local.get $p) (i32.const 8)))))'%(t,op,t,t))
        v=1.5 if t=='f64' else 2.5
        asserts.append('(assert_return (invoke "m_%s" (i32.const %d) (%s.const 3)) (%s.const %r))'%(n,addr,t,t,f(3.0,v)))
        asserts.append('(assert_return (invoke "ma_%s" (i32.const %d) (%s.const 3) (%s.const 2)) (%s.const %r))'%(n,addr-8,t,t,t,f(6.0,v)))
        asserts.append('(assert_trap (invoke "m_%s" (i32.const 65530) (%s.const 1)) "out of bounds memory access")'%(n,t))
# a loaded left operand of a commutative op is swapped; a non-commutative one is not
w('  (func (export "swap_xor") (param $p i32) (param $x i32) (result i32)')
w('    (i32.xor (i32.load (local.get $p)) (local.get $x)))')
w('  (func (export "keep_sub") (param $p i32) (param $x i32) (result i32)')
w('    (i32.sub (i32.load (local.get $p)) (local.get $x)))')
asserts.append('(assert_return (invoke "swap_xor" (i32.const 8) (i32.const 255)) %s)'%I('i32',ld('i32.load',8)^255))
asserts.append('(assert_return (invoke "keep_sub" (i32.const 8) (i32.const 1)) %s)'%I('i32',(ld('i32.load',8)-1)&M32))
# the result written straight to the local holding the address
w('  (func (export "to_addr") (param $p i32) (param $x i32) (result i32)')
w('    (local.set $p (i32.add (local.get $x) (i32.load (local.get $p)))) (local.get $p))')
asserts.append('(assert_return (invoke "to_addr" (i32.const 16) (i32.const 1)) %s)'%I('i32',(ld('i32.load',16)+1)&M32))
# a sum over memory: the loop's accumulator is the fused op's first operand
w('  (func (export "sum8") (param $n i32) (result i32) (local $i i32) (local $s i32)')
w('    (block (loop')
w('      (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))')
w('      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))')
w('      (local.set $i (i32.add (local.get $i) (i32.const 1)))')
w('      (br 0)))')
w('    (local.get $s))')
asserts.append('(assert_return (invoke "sum8" (i32.const 64)) %s)'%I('i32',sum(mem)))
asserts.append('(assert_return (invoke "sum8" (i32.const 0)) (i32.const 0))')
# copies in a row (COPY2): in order, each reading what the one before wrote
w('  (func (export "rotate") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)')
w('    (local.set $a (i32.const 1)) (local.set $b (i32.const 2)) (local.set $c (i32.const 3)) (local.set $d (i32.const 4))')
w('    (block (loop')
w('      (br_if 1 (i32.eqz (local.get $n)))')
w('      (local.set $n (i32.sub (local.get $n) (i32.const 1)))')
w('      (local.get $a)')
w('      (local.set $a (local.get $b)) (local.set $b (local.get $c)) (local.set $c (local.get $d))')
w('      (local.set $d)')
w('      (br 0)))')
w('    (i32.add (i32.add (i32.mul (local.get $a) (i32.const 1000)) (i32.mul (local.get $b) (i32.const 100)))')
w('             (i32.add (i32.mul (local.get $c) (i32.const 10)) (local.get $d))))')
for n in range(6):
    v=[1,2,3,4]
    for _ in range(n): v=v[1:]+v[:1]
    asserts.append('(assert_return (invoke "rotate" (i32.const %d)) (i32.const %d))'%(n,v[0]*1000+v[1]*100+v[2]*10+v[3]))
# a copy chain where the second copy reads the first one's destination
w('  (func (export "chain") (param $x i32) (result i32) (local $a i32) (local $b i32)')
w('    (local.set $a (local.get $x)) (local.set $b (local.get $a)) (local.get $b))')
asserts.append('(assert_return (invoke "chain" (i32.const 77)) (i32.const 77))')
# "i = i + k" fused with the compare-and-branch back to the loop (ACMPL,
# ACMPIL), i as the first and as the second operand, for every comparison
cmps={'eq':lambda a,b:a==b,'ne':lambda a,b:a!=b,
      'lt_s':lambda a,b:sx(a)<sx(b),'lt_u':lambda a,b:a<b,'gt_s':lambda a,b:sx(a)>sx(b),'gt_u':lambda a,b:a>b,
      'le_s':lambda a,b:sx(a)<=sx(b),'le_u':lambda a,b:a<=b,'ge_s':lambda a,b:sx(a)>=sx(b),'ge_u':lambda a,b:a>=b}
def sx(v): return v-(1<<32) if v>=1<<31 else v
def run_loop(i,e,k,cmp,first):
    n=0
    while True:
        if n>50: break
        n+=1
        i=(i+k)&M32
        if not (cmp(i,e) if first else cmp(e,i)): break
    return (i*1000+n)&M32
for name,cmp in cmps.items():
    for form,first,rhs in [('a',True,'(local.get $e)'),('b',False,'(local.get $e)'),('i',True,None)]:
        for k in (3,-2):
            fn='loop_%s_%s_%s'%(name,form,'p' if k>0 else 'm')
            tee='(local.tee $i (i32.add (local.get $i) (i32.const %d)))'%k
            if form=='i':
                cond='(i32.%s %s (i32.const 20))'%(name,tee)
            elif first:
                cond='(i32.%s %s %s)'%(name,tee,rhs)
            else:
                cond='(i32.%s %s %s)'%(name,rhs,tee)
            w('  (func (export "%s") (param $i i32) (param $e i32) (result i32) (local $n i32)'%fn)
            w('    (block (loop')
            w('      (br_if 1 (i32.gt_u (local.get $n) (i32.const 50)))')
            w('      (local.set $n (i32.add (local.get $n) (i32.const 1)))')
            w('      (br_if 0 %s)))'%cond)
            w('    (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $n)))')
            for i0,e in [(0,20),(20,0),(-5&M32,7),(19,20),(2,0x7ffffffe)]:
                ee=20 if form=='i' else e
                asserts.append('(assert_return (invoke "%s" %s %s) %s)'%(fn,I('i32',i0),I('i32',e),I('i32',run_loop(i0,ee,k&M32,cmp,first))))
# a loaded operand stored back to where it came from (RMW forms): the
# memory at 256.. starts zeroed and is followed here call by call
rmw={}
def rd(t,ea):
    b=bytes(rmw.get(ea+i,0) for i in range({'i32':4,'i64':8,'f32':4,'f64':8}[t]))
    return struct.unpack('<'+{'i32':'I','i64':'Q','f32':'f','f64':'d'}[t],b)[0]
def wr(t,ea,v):
    b=struct.pack('<'+{'i32':'I','i64':'Q','f32':'f','f64':'d'}[t],v)
    for i,x in enumerate(b): rmw[ea+i]=x
def f32r(v): return struct.unpack('<f',struct.pack('<f',v))[0]
rops=[('i32',o,f) for o,f in ops32.items() if o!='mul']+[('i64',o,f) for o,f in ops64.items() if o!='mul']
rops+=[(t,o,fl[o]) for t in ('f32','f64') for o in ('add','sub','mul')]
def C(t,v):
    if t in ('f32','f64'): return '(%s.const %r)'%(t,v)
    return I(t,v)
for t,o,f in rops:
    n='rmw_%s_%s'%(o,t)
    w('  (func (export "%s") (param $p i32) (param $x %s) (result %s)'%(n,t,t))
    w('    (%s.store offset=8 (local.get $p) (%s.%s (local.get $x) (%s.load offset=8 (local.get $p))))'%(t,t,o,t))
    w('    (%s.load offset=8 (local.get $p)))'%t)
    w('  (func (export "rmwa_%s") (param $p i32) (param $x %s) (result %s)'%(n[4:],t,t))
    w('    (%s.store offset=8 (local.get $p) (%s.%s (%s.add (local.get $x) (local.get $x)) (%s.load offset=8 (local.get $p))))'%(t,t,o,t,t))
    w('    (%s.load offset=8 (local.get $p)))'%t)
    base=256+len(rmw)
    for fn,dbl in ((n,False),('rmwa_'+n[4:],True)):
        for x in ((5,0x12345678,0xfffffff0) if t[0]=='i' else (1.5,-2.25,0.5)):
            xx=x*2 if dbl else x
            if t[0]=='i':
                m=M32 if t=='i32' else M64
                xx&=m
                r=f(xx,rd(t,base+8))
            else:
                r=f(xx,rd(t,base+8))
                if t=='f32': r=f32r(r)
            wr(t,base+8,r)
            asserts.append('(assert_return (invoke "%s" (i32.const %d) %s) %s)'%(fn,base,C(t,x),C(t,r)))
    # out of bounds: traps
    asserts.append('(assert_trap (invoke "%s" (i32.const 65530) %s) "out of bounds memory access")'%(n,C(t,1 if t[0]=='i' else 1.0)))
# not fused: another offset, another address, a folded constant; still right
w('  (func (export "rmw_other_off") (param $p i32) (param $x i32) (result i32)')
w('    (i32.store offset=12 (local.get $p) (i32.add (local.get $x) (i32.load offset=8 (local.get $p))))')
w('    (i32.load offset=12 (local.get $p)))')
w('  (func (export "rmw_other_addr") (param $p i32) (param $q i32) (result i32)')
w('    (i32.store offset=8 (local.get $q) (i32.add (i32.const 1) (i32.load offset=8 (local.get $p))))')
w('    (i32.load offset=8 (local.get $q)))')
w('  (func (export "rmw_k") (param $p i32) (param $x i32) (result i32)')
w('    (i32.store offset=8 (local.get $p) (i32.add (local.get $x) (i32.load offset=8 (i32.add (local.get $p) (i32.const 4)))))')
w('    (i32.load offset=8 (local.get $p)))')
wr('i32',600+8,41); wr('i32',600+12,0)
w('  (data (i32.const 608) "\\29\\00\\00\\00")')
asserts.append('(assert_return (invoke "rmw_other_off" (i32.const 600) (i32.const 1)) (i32.const 42))')
asserts.append('(assert_return (invoke "rmw_other_addr" (i32.const 600) (i32.const 700)) (i32.const 42))')
asserts.append('(assert_return (invoke "rmw_k" (i32.const 596) (i32.const 1)) (i32.const 42))')
# an integer op with a constant feeding the next op's second operand (II
# forms), the first operand from a local or the previous result
def sem(t,op,a,b):
    bits=32 if t=='i32' else 64; m=(1<<bits)-1; sh=b&(bits-1)
    sa=a-(1<<bits) if a>>(bits-1) else a
    return {'add':a+b,'sub':a-b,'mul':a*b,'and':a&b,'or':a|b,'xor':a^b,'shl':a<<sh,
            'shr_s':sa>>sh,'shr_u':a>>sh,'rotl':(a<<sh)|(a>>((bits-sh)%bits)),
            'rotr':(a>>sh)|(a<<((bits-sh)%bits))}[op]&m
pairs=[('i32',o1,o2) for o1 in ('add','mul','and','xor','shl','shr_s','shr_u','rotl','rotr')
       for o2 in ('add','sub','and','or','xor')]
pairs+=[('i64',o1,o2) for o1 in ('add','mul','and','xor','shl','shr_u','rotl')
        for o2 in ('add','and','or','xor')]
for t,o1,o2 in pairs:
    m=M32 if t=='i32' else M64
    for form in ('ii','iia'):
        fn='%s_%s_%s_%s'%(form,t,o1,o2)
        first='(local.get $a)' if form=='ii' else '(%s.add (local.get $a) (local.get $a))'%t
        w('  (func (export "%s") (param $a %s) (param $x %s) (result %s)'%(fn,t,t,t))
        w('    (%s.%s %s (%s.%s (local.get $x) (%s.const 13))))'%(t,o2,first,t,o1,t))
        for a,x in ((0x12345678,0x9abcdef1),(7,0x80000003),(m,1)):
            av=(a+a)&m if form=='iia' else a
            asserts.append('(assert_return (invoke "%s" %s %s) %s)'%(fn,I(t,a),I(t,x),I(t,sem(t,o2,av,sem(t,o1,x,13)))))
w(')')
out+=asserts
print('\n'.join(out))
