package dev.hangcheck.catalog;

/**
 * A method named by a flag: {@code pkg.Type#method}, covering every overload, on the type and on
 * its subtypes.
 *
 * @param typeName the canonical name, e.g. {@code java.util.Map.Entry} ({@code $} is accepted
 *     too)
 * @param methodName a method name, or {@link #CONSTRUCTOR_NAME} for constructors
 */
public record MethodRef(String typeName, String methodName) {

  /** The method name that stands for constructors. */
  public static final String CONSTRUCTOR_NAME = "<init>";

  public boolean isConstructor() {
    return methodName.equals(CONSTRUCTOR_NAME);
  }

  /** {@code pkg.Type#method}, as the user wrote it. */
  @Override
  public String toString() {
    return typeName + "#" + methodName;
  }
}
