package dev.softswitch.bridge.provider;

/** Carries a {@link Refusal} out of the code that decided it to the one place that answers it. */
public final class RefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // refusals are records of strings and ints
    private final Refusal refusal;

    public RefusedException(Refusal refusal) {
        super(refusal.reason(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }

    public static RefusedException badSignature(String reason) {
        return new RefusedException(new Refusal.BadSignature(reason));
    }

    public static RefusedException malformed(String reason) {
        return new RefusedException(new Refusal.Malformed(reason));
    }
}
