package dev.sieve.dataflow.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One non-GEMM operation applied to a layer's output before the next layer reads it, as written in
 * a topology's optional {@code Post Ops} column: operations joined by {@code +}, in order, from
 * {@code bn} (batch normalization), {@code relu}, {@code add} (a residual addition of a tensor of the
 * same size), {@code maxpoolK} / {@code avgpoolK} (a K x K window with stride K), {@code gap} (global
 * average pooling to 1 x 1), {@code softmax} (softmax and cross-entropy loss over the outputs; the
 * network's last layer), or {@code none}. Example: {@code bn+add+relu+avgpool4}.
 *
 * @param window the pooling window K (0 for operations that are not pooling; for {@code gap} 0 too)
 */
public record PostOp(Kind kind, int window) {

    public enum Kind {
        BN("bn"), RELU("relu"), ADD("add"), MAXPOOL("maxpool"), AVGPOOL("avgpool"), GAP("gap"), SOFTMAX("softmax");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** Largest pooling window. */
    public static final int MAX_WINDOW = 64;

    /** What the column allows, for messages. */
    public static final String ALLOWED = "operations joined by '+' from bn, relu, add, maxpoolK, avgpoolK (K = 2 .. "
            + MAX_WINDOW + "), gap, softmax; or none";

    public PostOp {
        boolean pool = kind == Kind.MAXPOOL || kind == Kind.AVGPOOL;
        if (pool ? window < 2 || window > MAX_WINDOW : window != 0) {
            throw new IllegalArgumentException("window = " + window + " is not allowed for " + kind.word()
                    + "; allowed " + (pool ? "2 .. " + MAX_WINDOW : "0"));
        }
    }

    public static PostOp of(Kind kind) {
        return new PostOp(kind, 0);
    }

    /** Parses a {@code Post Ops} cell; an empty list for {@code none}. */
    public static List<PostOp> parseList(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return List.of();
        }
        List<PostOp> out = new ArrayList<>();
        for (String w : t.split("\\+", -1)) {
            out.add(parse(w.strip()));
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).kind() == Kind.SOFTMAX && i != out.size() - 1) {
                throw new IllegalArgumentException("'" + text.strip() + "': softmax must be the last operation");
            }
        }
        return List.copyOf(out);
    }

    private static PostOp parse(String w) {
        for (Kind k : Kind.values()) {
            if (w.equals(k.word())) {
                if (k == Kind.MAXPOOL || k == Kind.AVGPOOL) {
                    break;
                }
                return of(k);
            }
            if ((k == Kind.MAXPOOL || k == Kind.AVGPOOL) && w.startsWith(k.word())
                    && w.substring(k.word().length()).matches("[0-9]{1,3}")) {
                int window = Integer.parseInt(w.substring(k.word().length()));
                if (window >= 2 && window <= MAX_WINDOW) {
                    return new PostOp(k, window);
                }
            }
        }
        throw new IllegalArgumentException("'" + w + "' is not a post operation; allowed " + ALLOWED);
    }

    /** The list written as the column holds it ({@code none} when empty). */
    public static String format(List<PostOp> ops) {
        if (ops.isEmpty()) {
            return "none";
        }
        return String.join("+", ops.stream().map(PostOp::toString).toList());
    }

    @Override
    public String toString() {
        return window == 0 ? kind.word() : kind.word() + window;
    }
}
