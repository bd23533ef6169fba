package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import dev.hangcheck.config.HangcheckConfig;
import dev.hangcheck.config.Suggestions;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the declared lock order of a compilation: the {@code @AcquiredBefore} and {@code
 * @AcquiredAfter} annotations on the fields and classes of its sources, and the orders of {@code
 * -XepOpt:Hangcheck:LockOrder}, each name resolved to the lock family it denotes. Only
 * declarations are read, never method bodies: the cost is that of the class members.
 */
public final class DeclaredOrders {

  static final String ACQUIRED_BEFORE = "dev.hangcheck.annotations.AcquiredBefore";
  static final String ACQUIRED_AFTER = "dev.hangcheck.annotations.AcquiredAfter";

  private final SourceIndex index;
  private final DeclaredNames lockNames;
  private final List<DeclaredOrder.Declaration> declarations = new ArrayList<>();
  private final List<DeclaredOrder.Problem> problems = new ArrayList<>();
  private final List<String> flagProblems = new ArrayList<>();
  /** One lock per field key: see {@link #declare}. */
  private final java.util.Map<String, LockId> fieldsByKey = new java.util.HashMap<>();
  private final java.util.Map<DeclaredOrder.Declaration, DeclaredOrder.Problem> placeOf =
      new java.util.HashMap<>();

  private DeclaredOrders(SourceIndex index, Function<String, @Nullable ClassSymbol> classNamed) {
    this.index = index;
    this.lockNames = new DeclaredNames(index, classNamed);
  }

  /**
   * The declared order of the compilation {@code index} holds and of {@code config}'s flag.
   *
   * @param classNamed the class of a canonical name, or null when the class path has none
   */
  public static DeclaredOrder of(
      SourceIndex index,
      HangcheckConfig config,
      Function<String, @Nullable ClassSymbol> classNamed) {
    return of(index, config, classNamed, List.of());
  }

  /**
   * @param libraries classes read from class files, whose annotations (in the class file: the
   *     annotations have class retention) declare orders too
   */
  public static DeclaredOrder of(
      SourceIndex index,
      HangcheckConfig config,
      Function<String, @Nullable ClassSymbol> classNamed,
      List<ClassSymbol> libraries) {
    DeclaredOrders reader = new DeclaredOrders(index, classNamed);
    for (ClassSymbol library : libraries) {
      if (!index.isSourceClass(library)) {
        reader.readLibraryClass(library);
      }
    }
    for (CompilationUnitTree unit : index.units()) {
      for (Tree declaration : unit.getTypeDecls()) {
        if (declaration instanceof ClassTree cls) {
          reader.readClass(unit, cls);
        }
      }
    }
    for (ImmutableList<String> order : config.lockOrders()) {
      reader.readFlagOrder(order);
    }
    return reader.build();
  }

  private DeclaredOrder build() {
    reportCycles();
    return new DeclaredOrder(
        ImmutableList.copyOf(declarations),
        ImmutableList.copyOf(problems),
        ImmutableList.copyOf(flagProblems),
        index.types());
  }

  /**
   * Records "{@code lock} before {@code other}" ({@code before}) or after it. A field is one lock
   * under one name: a library's field is an assigned field where its class file is read and its
   * own family where its sources declare it.
   */
  private DeclaredOrder.Declaration declare(boolean before, LockId lock, LockId other, String origin) {
    LockId first = canonical(before ? lock : other);
    LockId second = canonical(before ? other : lock);
    DeclaredOrder.Declaration declaration = new DeclaredOrder.Declaration(first, second, origin);
    declarations.add(declaration);
    return declaration;
  }

  private LockId canonical(LockId lock) {
    return DeclaredOrder.isField(lock) ? fieldsByKey.computeIfAbsent(lock.key(), k -> lock) : lock;
  }

  /**
   * A cycle of declarations ("a before b", "b before a") is an order no code can keep: each
   * declaration on one is reported where it is written, naming the others.
   */
  private void reportCycles() {
    for (List<DeclaredOrder.Declaration> onCycle : DeclaredOrder.cycles(declarations)) {
      for (DeclaredOrder.Declaration declaration : onCycle) {
        String others =
            onCycle.stream()
                .filter(other -> other != declaration)
                .map(other -> describe(other) + " (" + other.origin() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        String message =
            "the declared lock order is cyclic: "
                + describe(declaration)
                + " here, and "
                + others
                + "; no code can keep it. Remove one of these declarations";
        DeclaredOrder.Problem place = placeOf.get(declaration);
        if (place != null) {
          problems.add(new DeclaredOrder.Problem(place.unit(), place.tree(), message));
        } else if (!flagProblems.contains(flagCycle(message))) {
          flagProblems.add(flagCycle(message));
        }
      }
    }
  }

  private static String flagCycle(String message) {
    return "-XepOpt:" + HangcheckConfig.LOCK_ORDER_FLAG + " makes " + message;
  }

  private static String describe(DeclaredOrder.Declaration declaration) {
    return declaration.first().display() + " before " + declaration.second().display();
  }

  private void readClass(CompilationUnitTree unit, ClassTree tree) {
    ClassSymbol cls = ASTHelpers.getSymbol(tree);
    if (cls == null) {
      return;
    }
    readAnnotations(unit, cls, tree.getModifiers().getAnnotations(), LockId.object(cls), cls);
    for (Tree member : tree.getMembers()) {
      if (member instanceof ClassTree nested) {
        readClass(unit, nested);
      } else if (member instanceof VariableTree field && ASTHelpers.getSymbol(field) != null) {
        VarSymbol symbol = ASTHelpers.getSymbol(field);
        readAnnotations(
            unit, cls, field.getModifiers().getAnnotations(), index.fieldFamily(symbol), symbol);
      }
    }
  }

  /**
   * The declarations a class of a jar or another module carries in its class file. Its names are
   * resolved from the class (its fields, its package, nested and qualified names): the file's
   * imports are not in the class file. One that resolves to nothing was reported when the library
   * was compiled, and is left out.
   */
  private void readLibraryClass(ClassSymbol cls) {
    if (declaresAnOrder(cls)) {
      readLibraryAnnotations(cls, cls, LockId.object(cls), where(cls));
    }
    for (Symbol member : cls.getEnclosedElements()) {
      // Most classes declare nothing: a field's lock family is worked out only if it does.
      if (member instanceof VarSymbol field && declaresAnOrder(field)) {
        readLibraryAnnotations(cls, field, index.fieldFamily(field), where(cls));
      }
    }
  }

  private static String where(ClassSymbol cls) {
    return " (" + Names.classDisplay(cls) + ", " + jarOf(cls) + ")";
  }

  private static boolean declaresAnOrder(Symbol symbol) {
    for (com.sun.tools.javac.code.Attribute.Compound annotation : symbol.getAnnotationMirrors()) {
      String name = annotation.type.tsym.getQualifiedName().toString();
      if (name.equals(ACQUIRED_BEFORE) || name.equals(ACQUIRED_AFTER)) {
        return true;
      }
    }
    return false;
  }

  private void readLibraryAnnotations(
      ClassSymbol cls, Symbol annotated, @Nullable LockId lock, String where) {
    if (lock == null) {
      return;
    }
    for (com.sun.tools.javac.code.Attribute.Compound annotation : annotated.getAnnotationMirrors()) {
      String name = annotation.type.tsym.getQualifiedName().toString();
      boolean before = name.equals(ACQUIRED_BEFORE);
      if (!before && !name.equals(ACQUIRED_AFTER)) {
        continue;
      }
      String origin =
          "@"
              + (before ? "AcquiredBefore" : "AcquiredAfter")
              + " on "
              + (annotated instanceof ClassSymbol
                  ? Names.classDisplay(cls)
                  : Names.classDisplay(cls) + "." + annotated.getSimpleName())
              + where;
      for (String text : strings(annotation)) {
        LockId other = lockNames.resolve(null, cls, text.trim());
        if (other != null && !other.equals(lock)) {
          declare(before, lock, other, origin);
        }
      }
    }
  }

  private static List<String> strings(com.sun.tools.javac.code.Attribute.Compound annotation) {
    List<String> out = new ArrayList<>();
    for (var pair : annotation.values) {
      com.sun.tools.javac.code.Attribute value = pair.snd;
      List<com.sun.tools.javac.code.Attribute> elements =
          value instanceof com.sun.tools.javac.code.Attribute.Array array
              ? List.of(array.values)
              : List.of(value);
      for (com.sun.tools.javac.code.Attribute element : elements) {
        if (element.getValue() instanceof String text) {
          out.add(text);
        }
      }
    }
    return out;
  }

  /** The jar (or directory) a class file was read from, by its file name. */
  private static String jarOf(ClassSymbol cls) {
    String uri = cls.classfile == null ? "" : cls.classfile.toUri().toString();
    int bang = uri.indexOf("!/");
    String container = bang >= 0 ? uri.substring(0, bang) : uri;
    return container.substring(container.lastIndexOf('/') + 1);
  }

  /** @param lock the annotated lock, null when it is none Hangcheck can name */
  private void readAnnotations(
      CompilationUnitTree unit,
      ClassSymbol cls,
      List<? extends AnnotationTree> annotations,
      @Nullable LockId lock,
      Symbol annotated) {
    for (AnnotationTree annotation : annotations) {
      Type type = ASTHelpers.getType(annotation);
      String name = type == null ? "" : type.tsym.getQualifiedName().toString();
      boolean before = name.equals(ACQUIRED_BEFORE);
      if (!before && !name.equals(ACQUIRED_AFTER)) {
        continue;
      }
      String annotationText = "@" + (before ? "AcquiredBefore" : "AcquiredAfter");
      if (lock == null) {
        problems.add(
            new DeclaredOrder.Problem(
                unit,
                annotation,
                annotationText + " is on " + annotated.getSimpleName() + ", which Hangcheck"
                    + " cannot name as a lock (a primitive or an array); put it on a lock field"
                    + " or on a class"));
        continue;
      }
      String origin =
          annotationText
              + " on "
              + (annotated instanceof ClassSymbol ? Names.classDisplay(cls) : Names.classDisplay(cls) + "." + annotated.getSimpleName())
              + " ("
              + Site.fileName(unit)
              + ":"
              + line(unit, annotation)
              + ")";
      for (ExpressionTree value : values(annotation)) {
        Object constant = ASTHelpers.constValue(value);
        if (!(constant instanceof String text)) {
          continue; // not a constant: javac reports it
        }
        LockId other = lockNames.resolve(unit, cls, text.trim());
        if (other == null) {
          problems.add(new DeclaredOrder.Problem(unit, value, unresolved(annotationText, text, cls)));
          continue;
        }
        if (other.equals(lock)) {
          problems.add(
              new DeclaredOrder.Problem(
                  unit, value, annotationText + " names \"" + text + "\", the annotated lock itself"));
          continue;
        }
        placeOf.putIfAbsent(
            declare(before, lock, other, origin), new DeclaredOrder.Problem(unit, value, ""));
      }
    }
  }

  private String unresolved(String annotationText, String text, ClassSymbol cls) {
    List<String> fields = new ArrayList<>();
    for (Symbol member : cls.getEnclosedElements()) {
      if (member instanceof VarSymbol) {
        fields.add(member.getSimpleName().toString());
      }
    }
    String closest = text.indexOf('.') < 0 ? Suggestions.closest(text, fields) : null;
    return annotationText
        + " names \""
        + text
        + "\", which is no field of "
        + Names.classDisplay(cls)
        + ", no class and no field of a class that this file can see"
        + (closest == null ? "" : "; did you mean \"" + closest + "\"?")
        + " Write a field of this class (\"items\"), Type.field, Type, or Type.class";
  }

  private void readFlagOrder(ImmutableList<String> names) {
    List<LockId> locks = new ArrayList<>();
    for (String name : names) {
      LockId lock = lockNames.resolve(null, null, name);
      if (lock == null) {
        flagProblems.add(
            "-XepOpt:" + HangcheckConfig.LOCK_ORDER_FLAG + " names " + name + ", which is no class,"
                + " no field of a class and no class literal on the class path; write"
                + " pkg.Type.field, pkg.Type or pkg.Type.class");
      }
      locks.add(lock);
    }
    String origin = "-XepOpt:" + HangcheckConfig.LOCK_ORDER_FLAG;
    for (int i = 0; i + 1 < locks.size(); i++) {
      if (locks.get(i) != null && locks.get(i + 1) != null) {
        declare(true, locks.get(i), locks.get(i + 1), origin);
      }
    }
  }

  /** The strings of {@code @A("x")}, {@code @A({"x", "y"})}, {@code @A(value = ...)}. */
  private static List<ExpressionTree> values(AnnotationTree annotation) {
    List<ExpressionTree> out = new ArrayList<>();
    for (ExpressionTree argument : annotation.getArguments()) {
      ExpressionTree value =
          argument instanceof AssignmentTree assignment ? assignment.getExpression() : argument;
      if (value instanceof NewArrayTree array && array.getInitializers() != null) {
        out.addAll(array.getInitializers());
      } else {
        out.add(value);
      }
    }
    return out;
  }

  static long line(CompilationUnitTree unit, Tree tree) {
    return unit.getLineMap().getLineNumber(((JCTree) tree).getStartPosition());
  }
}
