#!/usr/bin/env python3
"""Generates a synthetic compilation for Hangcheck's scaling benchmark (bench/scaling.sh).

    bench/generate-synthetic.py --classes N [--seed S] [--interfaces K] OUT_DIR

writes OUT_DIR/synth/C000000.java ... one public class per file, all in package `synth`, plus
K interfaces synth/Worker0.java ... It deletes OUT_DIR/synth first. The output depends only on
(N, seed, K, this file): the same arguments give byte-identical files.

Every class has the same shape and roughly the same size (about 95 lines), so the total size is
linear in N. What each class holds, and why:

- lock fields: two monitors (`lock`, `aux`), a ReentrantLock, a ReentrantReadWriteLock and, in
  every 10th class, a static monitor; synchronized methods, synchronized blocks, lock()/unlock()
  in try/finally, read and write locks.
- calls between classes in three levels, so that call chains have bounded depth (as in real code,
  where "everything calls everything under a lock" does not happen):
    leaf methods (get, inc, read, write, ...) take only the class's own locks and call no other
    class; mid methods hold a lock of their own class and call leaf methods of FORWARD classes
    (i+1, i+2 and a random j > i), so the lock graph is a DAG; top methods call mid methods of
    random classes (any direction) while holding no lock, directly, through an interface-typed
    field (each interface WorkerK has about N/K implementations, so override lookups grow with
    N as in a real code base) and from lambdas.
- lock-order cycles: for every 50th class i (i % 50 == 0), class i+1 has `inverted()`, which
  holds its own `lock` and calls C_i.get() (which takes C_i.lock), while C_i.underLock() holds
  C_i.lock and calls C_{i+1}.get(): a two-lock cycle per pair, N/50 cycles in all.
- lambdas and method references (Runnable, Supplier, CompletableFuture callbacks).
- blocking calls: Thread.sleep, Future.get, BlockingQueue.take, Object.wait; in some classes under
  a lock (every 5th: sleep under a lock, every 7th: Future.get under a lock), elsewhere not; every
  20th class blocks inside a CompletableFuture callback, and another 20th (i % 20 == 10) sleeps,
  through nap(), inside work(). bench/scaling.sh declares WorkerK#work non-blocking
  (-XepOpt:Hangcheck:NonBlockingMethods), so that BlockingCallInNonBlockingContext has work too.

Expected findings, roughly: 2 * N/50 LockOrderInversion (one per edge of each planted cycle);
blocking calls under a lock in about N/5 + N/7 classes and wherever a synchronized method or a lock
reaches one through calls; N/20 blocking calls in non-blocking code (work()) when the WorkerK#work
methods are declared non-blocking.
"""

import argparse
import os
import random
import shutil
import sys

WIDTH = 6  # class names C000000 .. C999999: same length for every N


def cname(i):
    return "C%0*d" % (WIDTH, i)


def forward(rng, i, n):
    """A random class index > i (or i itself at the end)."""
    if i + 1 >= n:
        return i
    return rng.randint(i + 1, min(n - 1, i + 1 + 500))


def gen_class(i, n, k, rng):
    name = cname(i)
    nxt = cname(min(i + 1, n - 1))
    nxt2 = cname(min(i + 2, n - 1))
    fwd = cname(forward(rng, i, n))
    any1 = cname(rng.randrange(n))
    any2 = cname(rng.randrange(n))
    iface = "Worker%d" % (i % k)
    peer_iface = "Worker%d" % rng.randrange(k)
    prev = cname(i - 1) if i > 0 else name
    inverted_pair = i % 50 == 1 and i >= 1  # class i pairs with class i-1 (i-1 % 50 == 0)
    static_lock = i % 10 == 0
    sleep_under_lock = i % 5 == 0
    get_under_lock = i % 7 == 0
    callback_blocks = i % 20 == 0
    work_blocks = i % 20 == 10
    delta = rng.randint(1, 9)

    out = []
    w = out.append
    w("package synth;")
    w("")
    w("import java.util.ArrayList;")
    w("import java.util.List;")
    w("import java.util.concurrent.BlockingQueue;")
    w("import java.util.concurrent.CompletableFuture;")
    w("import java.util.concurrent.Future;")
    w("import java.util.concurrent.LinkedBlockingQueue;")
    w("import java.util.concurrent.locks.ReentrantLock;")
    w("import java.util.concurrent.locks.ReentrantReadWriteLock;")
    w("import java.util.function.Supplier;")
    w("")
    w("public class %s implements %s {" % (name, iface))
    w("  private final Object lock = new Object();")
    w("  private final Object aux = new Object();")
    w("  private final ReentrantLock rlock = new ReentrantLock();")
    w("  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();")
    if static_lock:
        w("  private static final Object GLOBAL = new Object();")
        w("  private static int instances;")
    w("  private final BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();")
    w("  private final List<Runnable> tasks = new ArrayList<>();")
    w("  private int count;")
    w("  %s next;" % nxt)
    w("  %s next2;" % nxt2)
    w("  %s fwd;" % fwd)
    w("  %s any;" % any1)
    w("  %s peer;" % peer_iface)
    if inverted_pair:
        w("  %s prev;" % prev)
    w("")
    # --- leaf methods: own locks only, no calls to other classes
    w("  public synchronized void inc() { count += %d; }" % delta)
    w("")
    w("  public int get() {")
    w("    synchronized (lock) {")
    w("      return count;")
    w("    }")
    w("  }")
    w("")
    w("  public int read() {")
    w("    rw.readLock().lock();")
    w("    try {")
    w("      return count;")
    w("    } finally {")
    w("      rw.readLock().unlock();")
    w("    }")
    w("  }")
    w("")
    w("  public void write(int v) {")
    w("    rw.writeLock().lock();")
    w("    try {")
    w("      count = v;")
    w("    } finally {")
    w("      rw.writeLock().unlock();")
    w("    }")
    w("  }")
    w("")
    w("  public void pause() throws InterruptedException {")
    if sleep_under_lock:
        w("    synchronized (aux) {")
        w("      Thread.sleep(%d);" % delta)
        w("    }")
    else:
        w("    Thread.sleep(%d);" % delta)
    w("  }")
    w("")
    w("  public int await(Future<Integer> f) throws Exception {")
    if get_under_lock:
        w("    rlock.lock();")
        w("    try {")
        w("      return f.get() + count;")
        w("    } finally {")
        w("      rlock.unlock();")
        w("    }")
    else:
        w("    int v = f.get();")
        w("    return v + read();")
    w("  }")
    w("")
    w("  public int take() throws InterruptedException {")
    w("    return queue.take();")
    w("  }")
    w("")
    w("  void nap() {")
    w("    try {")
    w("      Thread.sleep(%d);" % delta)
    w("    } catch (InterruptedException e) {")
    w("      Thread.currentThread().interrupt();")
    w("    }")
    w("  }")
    w("")
    # --- mid methods: hold an own lock, call leaf methods of forward classes
    w("  public void underLock() {")
    w("    synchronized (lock) {")
    w("      count += next.get();")
    w("      next2.inc();")
    w("    }")
    w("  }")
    w("")
    w("  public void withReentrant() {")
    w("    rlock.lock();")
    w("    try {")
    w("      fwd.write(count);")
    w("      count += fwd.read();")
    w("    } finally {")
    w("      rlock.unlock();")
    w("    }")
    w("  }")
    w("")
    w("  @Override")
    w("  public synchronized void work() {")
    w("    count += next.read();")
    if work_blocks:
        w("    nap();")
    w("  }")
    w("")
    if inverted_pair:
        w("  public void inverted() {")
        w("    synchronized (lock) {")
        w("      count += prev.get();")
        w("    }")
        w("  }")
        w("")
    if static_lock:
        w("  public static void register() {")
        w("    synchronized (GLOBAL) {")
        w("      instances++;")
        w("    }")
        w("  }")
        w("")
    # --- top methods: no lock held, call mid methods anywhere, lambdas
    w("  public void free() {")
    w("    any.underLock();")
    w("    peer.work();")
    w("    next.withReentrant();")
    w("  }")
    w("")
    w("  public void schedule() {")
    w("    tasks.add(() -> {")
    w("      synchronized (aux) {")
    w("        count--;")
    w("      }")
    w("    });")
    w("    tasks.add(this::underLock);")
    w("    Supplier<Integer> s = () -> any.get() + %d;" % delta)
    w("    Runnable r = () -> %s.free();" % ("any" if rng.random() < 0.5 else "next"))
    w("    r.run();")
    w("    count += s.get();")
    w("  }")
    w("")
    w("  public CompletableFuture<Integer> async(CompletableFuture<Integer> f) {")
    if callback_blocks:
        w("    return f.thenApply(x -> {")
        w("      try {")
        w("        Thread.sleep(x);")
        w("      } catch (InterruptedException e) {")
        w("        Thread.currentThread().interrupt();")
        w("      }")
        w("      return x + get();")
        w("    });")
    else:
        w("    return f.thenApply(x -> x + get());")
    w("  }")
    w("")
    w("  public void waitForSignal() throws InterruptedException {")
    w("    synchronized (aux) {")
    w("      while (count < 0) {")
    w("        aux.wait();")
    w("      }")
    w("    }")
    w("  }")
    w("}")
    return "\n".join(out) + "\n"


# The worst cases for the analysis, each N classes (or N locks) of one shape, linear in N:
#   lock-chain       each class holds its own lock and calls the next one's method (no cycle):
#                    N^2 pairs (held lock, lock taken later), which summaries must not list
#   deep-under-lock  every method synchronized, each calling the next, the last sleeping: N
#                    findings of BlockingCallUnderLock, each with a chain up to N calls long
#   lock-ring        a cycle of N locks through N classes: one finding per site
#   nested           one method with N nested synchronized blocks, one more taking two reversed
SHAPES = ("mixed", "lock-chain", "deep-under-lock", "lock-ring", "nested")


def gen_shape(shape, i, n):
    nxt = cname(i + 1) if i + 1 < n else None
    if shape == "lock-chain":
        body = ("synchronized (lock) { next.m(); }" if nxt else "synchronized (lock) {}")
        field = ("  private final %s next = new %s();\n" % (nxt, nxt)) if nxt else ""
        return ("package synth;\n\npublic class %s {\n  private final Object lock = new Object();\n"
                "%s  public void m() { %s }\n}\n" % (cname(i), field, body))
    if shape == "deep-under-lock":
        if nxt:
            return ("package synth;\n\npublic class %s {\n  private final %s next = new %s();\n"
                    "  public synchronized void m() throws InterruptedException { next.m(); }\n}\n"
                    % (cname(i), nxt, nxt))
        return ("package synth;\n\npublic class %s {\n"
                "  public void m() throws InterruptedException { Thread.sleep(1); }\n}\n" % cname(i))
    if shape == "lock-ring":
        return ("package synth;\n\npublic class %s {\n  static final Object LOCK = new Object();\n"
                "  public static void m() { synchronized (LOCK) { %s.m(); } }\n}\n"
                % (cname(i), cname((i + 1) % n)))
    raise ValueError(shape)


def gen_nested(n):
    out = ["package synth;\n\npublic class Nested {\n"]
    out += ["  static final Object L%d = new Object();\n" % i for i in range(n)]
    out.append("  public void deep() {\n")
    out += ["synchronized (L%d) {\n" % i for i in range(n)]
    out.append("}" * n + "\n  }\n")
    out.append("  public void reversed() { synchronized (L%d) { synchronized (L0) {} } }\n}\n" % (n - 1))
    return "".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--classes", "-n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--interfaces", type=int, default=10)
    ap.add_argument("--shape", choices=SHAPES, default="mixed")
    a = ap.parse_args(argv)
    if a.classes < 2 or a.classes >= 10 ** WIDTH:
        ap.error("--classes must be in [2, %d)" % 10 ** WIDTH)
    if a.interfaces < 1:
        ap.error("--interfaces must be >= 1")

    pkg = os.path.join(a.out_dir, "synth")
    if os.path.isdir(pkg):
        shutil.rmtree(pkg)
    os.makedirs(pkg)
    if a.shape != "mixed":
        texts = ({"Nested": gen_nested(a.classes)} if a.shape == "nested"
                 else {cname(i): gen_shape(a.shape, i, a.classes) for i in range(a.classes)})
        for name, text in texts.items():
            with open(os.path.join(pkg, name + ".java"), "w", encoding="utf-8") as f:
                f.write(text)
        print("generated shape %s, N=%d, in %s: %d lines"
              % (a.shape, a.classes, pkg, sum(t.count("\n") for t in texts.values())))
        return
    for j in range(a.interfaces):
        with open(os.path.join(pkg, "Worker%d.java" % j), "w", encoding="utf-8") as f:
            f.write("package synth;\n\npublic interface Worker%d {\n  void work();\n}\n" % j)
    lines = 0
    size = 0
    for i in range(a.classes):
        # One generator per class, seeded by (seed, i): deterministic, and a class's random
        # choices do not depend on the order in which the others are generated.
        rng = random.Random("%d:%d" % (a.seed, i))
        text = gen_class(i, a.classes, a.interfaces, rng)
        lines += text.count("\n")
        size += len(text)
        with open(os.path.join(pkg, cname(i) + ".java"), "w", encoding="utf-8") as f:
            f.write(text)
    print("generated %d classes + %d interfaces in %s: %d lines, %d bytes of classes"
          % (a.classes, a.interfaces, pkg, lines, size))


if __name__ == "__main__":
    main(sys.argv[1:])
