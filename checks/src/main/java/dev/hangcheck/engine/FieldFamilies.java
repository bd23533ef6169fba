package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.Names;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What the fields of the compilation say about the locks they hold, from every assignment and
 * initializer: a field only ever given objects its class allocates is a lock family of its own,
 * one initialised with {@code rw.readLock()} is a view of {@code rw}.
 */
final class FieldFamilies {

  private final Predicate<ClassSymbol> isSourceClass;
  private final Map<VarSymbol, ExpressionTree> fieldInitializers = new IdentityHashMap<>();
  /** What every constructor gives a final field without an initializer, where it is the same. */
  private final Map<VarSymbol, ExpressionTree> constructorValues = new IdentityHashMap<>();
  private final Set<VarSymbol> constructorValuesDiffer =
      Collections.newSetFromMap(new IdentityHashMap<>());
  /** The class each field is allocated with, for fields only ever assigned a {@code new} object. */
  private final Map<VarSymbol, ClassSymbol> fieldAllocations = new IdentityHashMap<>();
  private final Set<VarSymbol> fieldsAssignedOtherwise =
      Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<VarSymbol, Optional<LockId>> fieldFamilies = new IdentityHashMap<>();

  FieldFamilies(Predicate<ClassSymbol> isSourceClass) {
    this.isSourceClass = isSourceClass;
  }

  /** {@code field} is given a new object of {@code allocatedClass}, or (null) something else. */
  void assigned(VarSymbol field, @Nullable ClassSymbol allocatedClass) {
    if (allocatedClass == null) {
      fieldsAssignedOtherwise.add(field);
    } else {
      fieldAllocations.putIfAbsent(field, allocatedClass);
    }
  }

  void initialized(VarSymbol field, ExpressionTree initializer) {
    fieldInitializers.put(field, initializer);
  }

  /**
   * A final field's constructors give it {@code value} ({@code this.changed =
   * this.lock.newCondition()}): with no initializer, and the same expression in every
   * constructor, built only from fields and {@code this}, it is as good as one.
   */
  void writtenInConstructor(VarSymbol field, ExpressionTree value) {
    if (fieldInitializers.containsKey(field) || constructorValuesDiffer.contains(field)) {
      return;
    }
    ExpressionTree known = constructorValues.putIfAbsent(field, value);
    if ((known != null && !known.toString().equals(value.toString())) || !readsOnlyFields(value)) {
      constructorValues.remove(field);
      constructorValuesDiffer.add(field);
    }
  }

  /** Whether every variable {@code value} reads is a field (or this): it means the same anywhere. */
  private static boolean readsOnlyFields(ExpressionTree value) {
    boolean[] other = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        if (symbol instanceof VarSymbol variable
            && !(variable.owner instanceof ClassSymbol)
            && !variable.name.contentEquals("this")) {
          other[0] = true;
        }
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        other[0] = true;
        return null;
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        other[0] = true; // a new object per constructor run is no shared expression
        return null;
      }
    }.scan(value, null);
    return !other[0];
  }

  /** What the field is initialised with, in its declaration or, if final, by its constructors. */
  @Nullable ExpressionTree initializer(VarSymbol field) {
    ExpressionTree initializer = fieldInitializers.get(field);
    return initializer != null ? initializer : constructorValues.get(field);
  }

  /**
   * The family of the locks a field holds: for a field its class only ever assigns objects it
   * allocates ({@code = new ReentrantLock()}), that field of each instance; for any other field,
   * whatever object it was given, known by the field's class.
   */
  @Nullable LockId of(VarSymbol field) {
    Optional<LockId> known = fieldFamilies.get(field);
    if (known == null) {
      known = Optional.ofNullable(computeFieldFamily(field));
      fieldFamilies.put(field, known);
    }
    return known.orElse(null);
  }

  private @Nullable LockId computeFieldFamily(VarSymbol field) {
    ClassSymbol owner = (ClassSymbol) field.owner;
    ClassSymbol allocated =
        isSourceClass.test(owner) && !fieldsAssignedOtherwise.contains(field)
            ? fieldAllocations.get(field)
            : null;
    String name = field.getSimpleName().toString();
    if (field.isStatic()) {
      ClassSymbol declared =
          field.type != null && field.type.tsym instanceof ClassSymbol ? (ClassSymbol) field.type.tsym : null;
      return LockId.staticField(
          Names.classKey(owner),
          Names.classDisplay(owner),
          name,
          allocated != null ? allocated : declared,
          allocated != null);
    }
    if (allocated != null) {
      return LockId.ownField(Names.classKey(owner), Names.classDisplay(owner), name, allocated);
    }
    LockId byClass = LockResolver.familyOfType(field.type);
    if ((byClass == null || !byClass.isGraphNode())
        && field.type != null
        && field.type.tsym instanceof ClassSymbol) {
      // "Some ReentrantLock" or "some Object" says nothing; the field that holds it says more.
      return LockId.assignedField(
          Names.classKey(owner), Names.classDisplay(owner), name, (ClassSymbol) field.type.tsym);
    }
    return byClass;
  }

  /**
   * For a field initialised with {@code lock.readLock()} or {@code lock.writeLock()} and never
   * assigned a new object, that initialiser: the field names a view of that read-write lock.
   */
  @Nullable ExpressionTree readWriteViewInitializer(VarSymbol field) {
    ExpressionTree initializer = fieldInitializers.get(field);
    if (initializer == null || fieldAllocations.containsKey(field)) {
      return null;
    }
    ExpressionTree call = ASTHelpers.stripParentheses(initializer);
    if (call instanceof com.sun.source.tree.MethodInvocationTree) {
      Symbol method = ASTHelpers.getSymbol(call);
      if (method != null
          && (method.getSimpleName().contentEquals("readLock")
              || method.getSimpleName().contentEquals("writeLock"))) {
        return call;
      }
    }
    return null;
  }
}
