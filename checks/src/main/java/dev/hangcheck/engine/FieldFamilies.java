package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
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

  @Nullable ExpressionTree initializer(VarSymbol field) {
    return fieldInitializers.get(field);
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
