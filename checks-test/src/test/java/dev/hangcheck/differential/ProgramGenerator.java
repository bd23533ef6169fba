package dev.hangcheck.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates small random programs (package {@code gen}) that take locks in many ways, together
 * with a model of what every method acquires, nested in what, and calls what. {@link Oracle}
 * computes the expected findings from that model alone; the compiler is never consulted.
 *
 * <p>Everything is decided by {@code new Random(seed)}, so a seed names a program. Every statement
 * is written on its own line and its line number recorded while writing, so a finding's site is
 * known exactly.
 *
 * <p>A program has 2-4 final classes in 2-4 files, each with 1-3 lock fields (static or instance
 * {@code Object}, {@code ReentrantLock} or {@code ReentrantReadWriteLock}) and 2-3 methods, static
 * or not, synchronized or not. Bodies nest, at most 3 acquisitions deep: {@code synchronized} on a
 * field, {@code this} or a class literal; {@code lock()} with {@code try/finally} or bare up to its
 * {@code unlock()}; {@code if (x.tryLock())} and {@code if (!x.tryLock()) return;} guards;
 * read/write locks through {@code readLock()}/{@code writeLock()}; occasionally through a local
 * alias; calls to any method in reach ({@code C.m()}, {@code m()}, {@code c.m()} on a field of a
 * final class), recursion and call cycles included; lambdas handed to an executor (deferred) or to
 * {@code forEach} (run on the spot).
 *
 * <p>Deliberately left out, because the documented semantics special-case them (see
 * docs/LockOrderInversion.md): instance fields are only ever used through an implicit {@code
 * this} (never {@code other.field}), an instance-field lock or {@code this} is never acquired
 * through one expression while held through another (the field and a local alias of it), instance
 * methods of the own class are only called on {@code this}, all classes are final and every call
 * has one target (no virtual dispatch), and nothing is suppressed.
 */
final class ProgramGenerator {

  static final String PACKAGE = "gen";

  private static final String[] CLASS_NAMES = {"A", "B", "C", "D"};

  // ---------------------------------------------------------------------------------------------
  // The model
  // ---------------------------------------------------------------------------------------------

  enum Kind {
    OBJECT,
    REENTRANT,
    READ_WRITE
  }

  /** A lock field: {@code static final Object S0}, {@code final ReentrantLock rl1}, ... */
  record LockField(String owner, String name, Kind kind, boolean isStatic) {
    /** The graph node, as the checker names it: {@code Owner.field}. */
    String node() {
      return owner + "." + name;
    }

    String type() {
      return switch (kind) {
        case OBJECT -> "Object";
        case REENTRANT -> "ReentrantLock";
        case READ_WRITE -> "ReentrantReadWriteLock";
      };
    }
  }

  static final class ClassModel {
    final String name;
    final List<LockField> locks = new ArrayList<>();
    final List<MethodModel> methods = new ArrayList<>();
    String file;

    ClassModel(String name) {
      this.name = name;
    }

    String monitorNode() {
      return "the monitor of a " + name;
    }

    String classNode() {
      return name + ".class";
    }

    /** The name of the field of this class's type that other classes hold: {@code B b;}. */
    String refField() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  static final class MethodModel {
    final ClassModel owner;
    final String name;
    final boolean isStatic;
    final boolean isSynchronized;
    final List<Stmt> body = new ArrayList<>();
    int line;

    MethodModel(ClassModel owner, String name, boolean isStatic, boolean isSynchronized) {
      this.owner = owner;
      this.name = name;
      this.isStatic = isStatic;
      this.isSynchronized = isSynchronized;
    }

    /** The lock a synchronized method holds for its whole body, or null. */
    String syncNode() {
      if (!isSynchronized) {
        return null;
      }
      return isStatic ? owner.classNode() : owner.monitorNode();
    }

    String file() {
      return owner.file;
    }

    @Override
    public String toString() {
      return owner.name + "." + name + "()";
    }
  }

  /** A statement of the model; {@link Acquire}, {@link Call} or {@link Lambda}. */
  abstract static class Stmt {
    /** The line of the statement's first line: for an acquisition or a call, its site. */
    int line;
  }

  enum Form {
    /** {@code synchronized (x) { ... }} */
    SYNC,
    /** {@code x.lock(); try { ... } finally { x.unlock(); }} */
    LOCK_TRY,
    /** {@code x.lock(); ...; x.unlock();} */
    LOCK_PLAIN,
    /** {@code if (x.tryLock()) { try { ... } finally { x.unlock(); } }} */
    TRY_IF,
    /** {@code if (!x.tryLock()) { return; } try { ... } finally { x.unlock(); }} */
    TRY_GUARD,
    /** {@code lock_x(); try { ... } finally { unlock_x(); }}: a lock helper and an unlock helper */
    HELPER,
    /** {@code touch_sync(x);} or {@code touch_lock(x);}: the lock passed as a parameter, no body */
    TOUCH
  }

  /** One acquisition: {@code node} is held in {@code body}; it waits for it unless a tryLock. */
  static final class Acquire extends Stmt {
    final String node;
    final Form form;
    /** The expression locked: {@code o1}, {@code B.S0}, {@code this}, {@code rw2.readLock()}... */
    final String expr;
    /** Identifies the expression for the "same node, other expression" exclusion. */
    final String exprKey;
    /** A local alias declared on the line before, or null: {@code Object l3 = o1;}. */
    final String aliasDecl;
    /** For {@link Form#HELPER}, how the helpers are called: {@code ""} or {@code "B."}; else null. */
    String helperPrefix;
    /** For {@link Form#HELPER}, the field the helpers lock. */
    String helperField;
    /** Whether the expression is a {@code Lock} rather than an object whose monitor is taken. */
    boolean isLock;

    final List<Stmt> body = new ArrayList<>();

    Acquire(String node, Form form, String expr, String exprKey, String aliasDecl) {
      this.node = node;
      this.form = form;
      this.expr = expr;
      this.exprKey = exprKey;
      this.aliasDecl = aliasDecl;
    }

    /** tryLock never waits: no edge into its lock, although the lock is held in its body. */
    boolean waits() {
      return form != Form.TRY_IF && form != Form.TRY_GUARD;
    }
  }

  static final class Call extends Stmt {
    final MethodModel target;
    final String text;

    Call(MethodModel target, String text) {
      this.target = target;
      this.text = text;
    }
  }

  /**
   * A release window around a whole method body: {@code x.unlock(); try { ... } finally {
   * x.lock(); }}, for a {@code ReentrantLock} x of the method's class that its callers may hold.
   * What the body does runs without x; taking x back waits for it.
   */
  static final class Window extends Stmt {
    final String node;
    final String expr;
    final List<Stmt> body = new ArrayList<>();
    /** The line of {@code x.lock();} in the finally block. */
    int relockLine;

    Window(String node, String expr) {
      this.node = node;
      this.expr = expr;
    }
  }

  /** {@code executor.execute(() -> {...})} (deferred) or {@code names.forEach(x -> {...})}. */
  static final class Lambda extends Stmt {
    final boolean deferred;
    final String param;
    final List<Stmt> body = new ArrayList<>();

    Lambda(boolean deferred, String param) {
      this.deferred = deferred;
      this.param = param;
    }
  }

  record SourceFile(String fileName, String binaryName, String text) {}

  record Program(long seed, List<ClassModel> classes, List<SourceFile> files) {
    List<MethodModel> methods() {
      List<MethodModel> all = new ArrayList<>();
      for (ClassModel c : classes) {
        all.addAll(c.methods);
      }
      return all;
    }

    /** Every file with line numbers, for failure reports. */
    String listing() {
      StringBuilder out = new StringBuilder();
      for (SourceFile file : files) {
        out.append("---- ").append(file.fileName()).append('\n');
        String[] lines = file.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          if (i == lines.length - 1 && lines[i].isEmpty()) {
            break;
          }
          out.append(String.format("%3d  %s%n", i + 1, lines[i]));
        }
      }
      return out.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Generation
  // ---------------------------------------------------------------------------------------------

  private static final int MAX_BLOCK_DEPTH = 4;
  private static final int MAX_ACQUIRE_DEPTH = 3;

  private final Random random;
  private final long seed;
  private final List<ClassModel> classes = new ArrayList<>();

  private ProgramGenerator(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  static Program generate(long seed) {
    return new ProgramGenerator(seed).run();
  }

  private Program run() {
    int classCount = 2 + random.nextInt(3);
    int fileCount = 2 + random.nextInt(classCount - 1);
    List<String> fileNames = new ArrayList<>();
    for (int i = 0; i < classCount; i++) {
      // The seed in every class name: programs of several seeds can share one javac run (their
      // lock graphs stay disjoint, whatever the checker keys its nodes by).
      ClassModel c = new ClassModel(CLASS_NAMES[i] + seed);
      classes.add(c);
      if (i < fileCount) {
        c.file = c.name + ".java";
        fileNames.add(c.file);
      } else {
        c.file = fileNames.get(random.nextInt(fileCount));
      }
    }
    for (ClassModel c : classes) {
      int lockCount = 1 + random.nextInt(3);
      for (int i = 0; i < lockCount; i++) {
        Kind kind = Kind.values()[random.nextInt(3)];
        boolean isStatic = random.nextBoolean();
        String prefix =
            switch (kind) {
              case OBJECT -> isStatic ? "S" : "o";
              case REENTRANT -> isStatic ? "RL" : "rl";
              case READ_WRITE -> isStatic ? "RW" : "rw";
            };
        c.locks.add(new LockField(c.name, prefix + i, kind, isStatic));
      }
      int methodCount = 2 + random.nextInt(2);
      for (int i = 0; i < methodCount; i++) {
        boolean isStatic = random.nextInt(10) < 3;
        boolean isSync = random.nextInt(10) < 3;
        c.methods.add(
            new MethodModel(
                c, CLASS_NAMES[classes.indexOf(c)].toLowerCase(Locale.ROOT) + i, isStatic, isSync));
      }
    }
    for (ClassModel c : classes) {
      for (MethodModel m : c.methods) {
        Ctx ctx = new Ctx(m);
        if (m.isSynchronized) {
          ctx.held.put(m.syncNode(), "this");
        }
        m.body.addAll(block(ctx, 0, 0, 1 + random.nextInt(2)));
      }
    }
    addReleaseWindows();
    List<SourceFile> files = new ArrayList<>();
    for (String fileName : fileNames) {
      files.add(render(fileName));
    }
    return new Program(seed, List.copyOf(classes), List.copyOf(files));
  }

  /**
   * Wraps about one method body in four in a release window of a {@code ReentrantLock} of its own
   * class. Decided by a random of its own, so that the rest of each seed's program is what it was
   * before windows existed.
   */
  private void addReleaseWindows() {
    Random windows = new Random(seed * 31 + 7);
    for (ClassModel c : classes) {
      for (MethodModel m : c.methods) {
        List<LockField> candidates = new ArrayList<>();
        for (LockField f : c.locks) {
          if (f.kind() == Kind.REENTRANT && (f.isStatic() || !m.isStatic)) {
            candidates.add(f);
          }
        }
        if (candidates.isEmpty() || windows.nextInt(4) != 0) {
          continue;
        }
        LockField f = candidates.get(windows.nextInt(candidates.size()));
        Window window = new Window(f.node(), f.name());
        window.body.addAll(m.body);
        m.body.clear();
        m.body.add(window);
      }
    }
  }

  /** What the statement being generated can see. */
  private static final class Ctx {
    final MethodModel method;
    /** Locks held at this point of the method (lexically), and through which expression. */
    final LinkedHashMap<String, String> held = new LinkedHashMap<>();

    int names;

    Ctx(MethodModel method) {
      this.method = method;
    }

    ClassModel cls() {
      return method.owner;
    }

    boolean isStatic() {
      return method.isStatic;
    }
  }

  private List<Stmt> block(Ctx ctx, int depth, int acquireDepth, int count) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int roll = random.nextInt(100);
      Stmt stmt = null;
      if (depth < MAX_BLOCK_DEPTH && acquireDepth < MAX_ACQUIRE_DEPTH && roll < 50) {
        stmt = acquire(ctx, depth, acquireDepth);
      } else if (depth < MAX_BLOCK_DEPTH && roll >= 86) {
        stmt = lambda(ctx, depth, acquireDepth, roll >= 93);
      }
      if (stmt == null) {
        stmt = call(ctx);
      }
      out.add(stmt);
    }
    return out;
  }

  /** Statements in a nested block: mostly one, often none, sometimes two. */
  private int childCount() {
    int roll = random.nextInt(20);
    return roll < 6 ? 0 : roll < 16 ? 1 : 2;
  }

  private Stmt lambda(Ctx ctx, int depth, int acquireDepth, boolean deferred) {
    Lambda lambda = new Lambda(deferred, "x" + ctx.names++);
    LinkedHashMap<String, String> saved = new LinkedHashMap<>(ctx.held);
    if (deferred) {
      ctx.held.clear(); // runs later: nothing held outside is held inside
    }
    lambda.body.addAll(block(ctx, depth + 1, acquireDepth, 1 + (random.nextInt(4) == 0 ? 1 : 0)));
    ctx.held.clear();
    ctx.held.putAll(saved);
    return lambda;
  }

  /** {@code instanceField}: one node for many objects (an instance field, or {@code this}). */
  private record Candidate(String node, Kind kind, String expr, boolean instanceField) {}

  private Stmt acquire(Ctx ctx, int depth, int acquireDepth) {
    List<Candidate> candidates = new ArrayList<>();
    for (ClassModel c : classes) {
      for (LockField f : c.locks) {
        if (f.isStatic()) {
          String expr = c == ctx.cls() && random.nextBoolean() ? f.name() : c.name + "." + f.name();
          candidates.add(new Candidate(f.node(), f.kind(), expr, false));
        } else if (c == ctx.cls() && !ctx.isStatic()) {
          candidates.add(new Candidate(f.node(), f.kind(), f.name(), true));
        }
      }
    }
    for (ClassModel c : classes) {
      if (random.nextInt(3) == 0) {
        candidates.add(new Candidate(c.classNode(), Kind.OBJECT, c.name + ".class", false));
      }
    }
    if (!ctx.isStatic() && random.nextInt(3) == 0) {
      candidates.add(new Candidate(ctx.cls().monitorNode(), Kind.OBJECT, "this", true));
    }
    if (candidates.isEmpty()) {
      return null; // a static method of a program without static locks: make it a call
    }
    Candidate pick = candidates.get(random.nextInt(candidates.size()));

    boolean alias = pick.expr().matches("[A-Za-z]\\w*") && random.nextInt(7) == 0;
    String aliasName = alias ? "l" + ctx.names++ : null;
    String aliasDecl = null;
    String expr;
    String exprKey;
    Form form;
    switch (pick.kind()) {
      case OBJECT -> {
        form = Form.SYNC;
        expr = pick.expr();
        if (alias) {
          aliasDecl = "Object " + aliasName + " = " + expr + ";";
          expr = aliasName;
        }
        exprKey = expr;
      }
      case REENTRANT -> {
        form = lockForm();
        expr = pick.expr();
        if (alias) {
          aliasDecl = "ReentrantLock " + aliasName + " = " + expr + ";";
          expr = aliasName;
        }
        exprKey = expr;
      }
      case READ_WRITE -> {
        form = lockForm();
        String side = random.nextBoolean() ? "readLock()" : "writeLock()";
        if (alias && random.nextBoolean()) {
          aliasDecl = "ReentrantReadWriteLock " + aliasName + " = " + pick.expr() + ";";
          expr = aliasName + "." + side;
          exprKey = aliasName;
        } else if (alias) {
          aliasDecl = "Lock " + aliasName + " = " + pick.expr() + "." + side + ";";
          expr = aliasName;
          exprKey = aliasName;
        } else {
          expr = pick.expr() + "." + side;
          exprKey = pick.expr();
        }
      }
      default -> throw new AssertionError();
    }
    // Variants that exercise the lock model (the oracle sees the same node and the same wait):
    // a getter returning the field, a lock helper, the lock passed as a parameter.
    boolean field = aliasDecl == null && !pick.expr().equals("this") && !pick.expr().endsWith(".class");
    int dot = pick.node().indexOf('.');
    String owner = field ? pick.node().substring(0, dot) : null;
    String fieldName = field ? pick.node().substring(dot + 1) : null;
    String prefix = !field || owner.equals(ctx.cls().name) ? "" : owner + ".";
    int variant = random.nextInt(12);
    boolean touch = false;
    if (field && variant < 2) {
      expr = expr.replace(pick.expr(), prefix + "get_" + fieldName + "()");
    } else if (field && variant == 2 && pick.kind() == Kind.REENTRANT && form != Form.TRY_IF && form != Form.TRY_GUARD) {
      form = Form.HELPER;
    } else if (aliasDecl == null && variant == 3 && form != Form.TRY_IF && form != Form.TRY_GUARD) {
      form = Form.TOUCH;
      touch = true;
    }
    // An instance-field lock held through one expression and taken through another is the
    // documented same-class special case: stay out of it.
    String heldThrough = ctx.held.get(pick.node());
    if (pick.instanceField() && heldThrough != null && !heldThrough.equals(exprKey)) {
      return null;
    }
    Acquire acquire = new Acquire(pick.node(), form, expr, exprKey, aliasDecl);
    acquire.isLock = pick.kind() != Kind.OBJECT;
    if (form == Form.HELPER) {
      acquire.helperPrefix = prefix;
      acquire.helperField = fieldName;
    }
    if (touch) {
      return acquire; // the callee's body is all there is to it
    }
    boolean wasHeld = heldThrough != null;
    if (!wasHeld) {
      ctx.held.put(pick.node(), exprKey);
    }
    acquire.body.addAll(block(ctx, depth + 1, acquireDepth + 1, childCount()));
    if (!wasHeld) {
      ctx.held.remove(pick.node());
    }
    return acquire;
  }

  private Form lockForm() {
    int roll = random.nextInt(100);
    if (roll < 45) {
      return Form.LOCK_TRY;
    } else if (roll < 60) {
      return Form.LOCK_PLAIN;
    } else if (roll < 85) {
      return Form.TRY_IF;
    } else {
      return Form.TRY_GUARD;
    }
  }

  private Stmt call(Ctx ctx) {
    List<Call> candidates = new ArrayList<>();
    for (ClassModel c : classes) {
      for (MethodModel m : c.methods) {
        if (m.isStatic) {
          String text = c == ctx.cls() && random.nextBoolean() ? m.name : c.name + "." + m.name;
          candidates.add(new Call(m, text + "();"));
        } else if (!ctx.isStatic()) {
          // Own class: on this. Other classes: on the (final-class-typed) field of that type.
          String text = c == ctx.cls() ? m.name : c.refField() + "." + m.name;
          candidates.add(new Call(m, text + "();"));
        }
      }
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering, one statement per line, recording lines
  // ---------------------------------------------------------------------------------------------

  private static final class Writer {
    final StringBuilder text = new StringBuilder();
    int line = 1;
    int indent;

    int line(String s) {
      text.append("  ".repeat(indent)).append(s).append('\n');
      return line++;
    }
  }

  private SourceFile render(String fileName) {
    Writer w = new Writer();
    w.line("package " + PACKAGE + ";");
    w.line("");
    w.line("import java.util.ArrayList;");
    w.line("import java.util.List;");
    w.line("import java.util.concurrent.Executor;");
    w.line("import java.util.concurrent.locks.Lock;");
    w.line("import java.util.concurrent.locks.ReentrantLock;");
    w.line("import java.util.concurrent.locks.ReentrantReadWriteLock;");
    String binaryName = null;
    for (ClassModel c : classes) {
      if (!c.file.equals(fileName)) {
        continue;
      }
      if (binaryName == null) {
        binaryName = PACKAGE + "." + c.name;
      }
      w.line("");
      w.line("final class " + c.name + " {");
      w.indent++;
      for (LockField f : c.locks) {
        w.line(
            (f.isStatic() ? "static " : "")
                + "final "
                + f.type()
                + " "
                + f.name()
                + " = new "
                + f.type()
                + "();");
      }
      for (LockField f : c.locks) {
        String modifier = f.isStatic() ? "static " : "";
        w.line(modifier + f.type() + " get_" + f.name() + "() { return " + f.name() + "; }");
        if (f.kind() == Kind.REENTRANT) {
          w.line(modifier + "void lock_" + f.name() + "() { " + f.name() + ".lock(); }");
          w.line(modifier + "void unlock_" + f.name() + "() { " + f.name() + ".unlock(); }");
        }
      }
      w.line("static void touch_sync(Object l) { synchronized (l) {} }");
      w.line("static void touch_lock(Lock l) { l.lock(); l.unlock(); }");
      w.line("static final List<String> names = new ArrayList<>();");
      w.line("static Executor executor;");
      for (ClassModel other : classes) {
        if (other != c) {
          w.line(other.name + " " + other.refField() + ";");
        }
      }
      for (MethodModel m : c.methods) {
        w.line("");
        m.line =
            w.line(
                (m.isStatic ? "static " : "")
                    + (m.isSynchronized ? "synchronized " : "")
                    + "void "
                    + m.name
                    + "() {");
        w.indent++;
        renderBlock(w, m.body);
        w.indent--;
        w.line("}");
      }
      w.indent--;
      w.line("}");
    }
    return new SourceFile(fileName, binaryName, w.text.toString());
  }

  private void renderBlock(Writer w, List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Call call) {
        call.line = w.line(call.text);
      } else if (s instanceof Lambda lambda) {
        lambda.line =
            w.line(
                lambda.deferred
                    ? "executor.execute(() -> {"
                    : "names.forEach(" + lambda.param + " -> {");
        w.indent++;
        renderBlock(w, lambda.body);
        w.indent--;
        w.line("});");
      } else if (s instanceof Window window) {
        window.line = w.line(window.expr + ".unlock();");
        w.line("try {");
        w.indent++;
        renderBlock(w, window.body);
        w.indent--;
        w.line("} finally {");
        w.indent++;
        window.relockLine = w.line(window.expr + ".lock();");
        w.indent--;
        w.line("}");
      } else if (s instanceof Acquire a) {
        if (a.aliasDecl != null) {
          w.line(a.aliasDecl);
        }
        switch (a.form) {
          case SYNC -> {
            a.line = w.line("synchronized (" + a.expr + ") {");
            w.indent++;
            renderBlock(w, a.body);
            w.indent--;
            w.line("}");
          }
          case LOCK_TRY -> {
            a.line = w.line(a.expr + ".lock();");
            renderTryFinally(w, a);
          }
          case LOCK_PLAIN -> {
            a.line = w.line(a.expr + ".lock();");
            renderBlock(w, a.body);
            w.line(a.expr + ".unlock();");
          }
          case TRY_IF -> {
            a.line = w.line("if (" + a.expr + ".tryLock()) {");
            w.indent++;
            renderTryFinally(w, a);
            w.indent--;
            w.line("}");
          }
          case HELPER -> {
            a.line = w.line(a.helperPrefix + "lock_" + a.helperField + "();");
            renderTryFinally(w, a, a.helperPrefix + "unlock_" + a.helperField + "();");
          }
          case TOUCH ->
              a.line =
                  w.line(
                      (a.isLock ? "touch_lock(" : "touch_sync(")
                          + a.expr
                          + ");");
          case TRY_GUARD -> {
            a.line = w.line("if (!" + a.expr + ".tryLock()) {");
            w.indent++;
            w.line("return;");
            w.indent--;
            w.line("}");
            renderTryFinally(w, a);
          }
        }
      } else {
        throw new AssertionError(s);
      }
    }
  }

  private void renderTryFinally(Writer w, Acquire a) {
    renderTryFinally(w, a, a.expr + ".unlock();");
  }

  private void renderTryFinally(Writer w, Acquire a, String unlock) {
    w.line("try {");
    w.indent++;
    renderBlock(w, a.body);
    w.indent--;
    w.line("} finally {");
    w.indent++;
    w.line(unlock);
    w.indent--;
    w.line("}");
  }
}
