package dev.hangcheck.locks;

/**
 * What the code's fields say about two paths being one object. A back-pointer is the common one:
 * a parent that only ever stores children it makes with itself as their parent ({@code
 * this.child = new Child(this)}, where {@code Child} keeps that argument as {@code parent}) knows
 * that {@code x.child.parent} is {@code x}.
 */
public interface FieldAliases {

  /** No facts: every path is its own. */
  FieldAliases NONE =
      new FieldAliases() {
        @Override
        public boolean isBackPointer(String field, String next) {
          return false;
        }

        @Override
        public boolean isConstructorArgument(String field) {
          return false;
        }
      };

  /**
   * Whether {@code x.field.next} is {@code x} wherever {@code x.field} is not null; fields as
   * {@code pkg.Owner#name}.
   */
  boolean isBackPointer(String field, String next);

  /**
   * Whether {@code field} only ever holds what a constructor of its class was given (or null): an
   * object whose reference existed before {@code x} was made, so that no chain of such fields
   * leads from an object back to itself.
   */
  boolean isConstructorArgument(String field);
}
