package dev.hangcheck.config;

/**
 * A {@code -XepOpt:Hangcheck:...} flag has a value Hangcheck cannot use.
 *
 * <p>It extends {@link IllegalArgumentException} because that is what a bad flag is; the message is
 * written for the user who typed the flag: it names the flag and the bad value, says what is wrong
 * and shows a correct example.
 */
public final class InvalidHangcheckFlagException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidHangcheckFlagException(String message) {
    super(message);
  }
}
