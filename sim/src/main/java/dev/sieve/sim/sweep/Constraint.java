package dev.sieve.sim.sweep;

import dev.sieve.io.InputException;
import java.util.Map;

/**
 * A boolean expression over design-point parameters, such as {@code rows * cols <= 1024 && nm_m >= 4}.
 * Grammar: {@code || && ! ( )}, comparisons {@code < <= > >= == !=}, arithmetic {@code + - * / %},
 * numbers, and names. A name is a parameter (numeric value); {@code NAME_n} and {@code NAME_m} are
 * the two sides of an {@code N:M} or {@code RxC} value ({@code dense} is 1:1). Strings compare with
 * {@code ==} and {@code !=} against quoted literals ({@code dataflow == 'ws'}). Division or
 * remainder by zero is an error, never a silent infinity; {@code &&} and {@code ||} evaluate their
 * right side only when needed, so {@code x != 0 && y / x > 2} is safe.
 */
public final class Constraint {
    private final String text;
    private final Node root;
    private final int line;

    private Constraint(String text, Node root, int line) {
        this.text = text;
        this.root = root;
        this.line = line;
    }

    /** This constraint, written on {@code line} of its spec (for messages). */
    public Constraint at(int line) {
        return new Constraint(text, root, line);
    }

    /** 1-based line of the spec that holds the constraint (0 when unknown). */
    public int line() {
        return line;
    }

    /** Points of the full cartesian product of {@code parameters}, before constraints. */
    static long count(Map<String, java.util.List<String>> parameters) {
        long n = 1;
        for (java.util.List<String> v : parameters.values()) {
            n = Math.multiplyExact(n, v.size());
        }
        return n;
    }

    /**
     * {@link #test}, with a point where the constraint cannot be evaluated (a division by zero) an
     * {@link InputException} naming {@code file}, the constraint's line and the point.
     */
    public boolean testAt(java.nio.file.Path file, Map<String, String> point) {
        try {
            return test(point);
        } catch (IllegalArgumentException e) {
            throw new InputException(file, line, "constraints", "'" + text + "' at point " + point + ": "
                    + e.getMessage());
        }
    }

    /** Parses {@code text}; an error message says where the expression is malformed. */
    public static Constraint parse(String text) {
        Parser p = new Parser(text);
        Node n = p.or();
        p.skip();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.substring(p.pos) + "' in constraint '" + text + "'");
        }
        return new Constraint(text, n, 0);
    }

    /** True if the point satisfies the constraint; unknown names are an error naming them. */
    public boolean test(Map<String, String> point) {
        Object v = root.eval(point);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("constraint '" + text + "' is not a comparison");
        }
        return b;
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node {
        Object eval(Map<String, String> point);
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean eat(String tok) {
            skip();
            if (s.startsWith(tok, pos)) {
                pos += tok.length();
                return true;
            }
            return false;
        }

        Node or() {
            Node l = and();
            while (eat("||")) {
                Node a = l;
                Node b = and();
                l = p -> bool(a.eval(p)) || bool(b.eval(p));
            }
            return l;
        }

        Node and() {
            Node l = not();
            while (eat("&&")) {
                Node a = l;
                Node b = not();
                l = p -> bool(a.eval(p)) && bool(b.eval(p));
            }
            return l;
        }

        Node not() {
            skip();
            if (s.startsWith("!", pos) && !s.startsWith("!=", pos)) {
                pos++;
                Node a = not();
                return p -> !bool(a.eval(p));
            }
            return comparison();
        }

        Node comparison() {
            Node l = sum();
            for (String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
                if (eat(op)) {
                    Node a = l;
                    Node b = sum();
                    return p -> compare(op, a.eval(p), b.eval(p));
                }
            }
            return l;
        }

        Node sum() {
            Node l = product();
            while (true) {
                if (eat("+")) {
                    Node a = l;
                    Node b = product();
                    l = p -> num(a.eval(p)) + num(b.eval(p));
                } else if (eat("-")) {
                    Node a = l;
                    Node b = product();
                    l = p -> num(a.eval(p)) - num(b.eval(p));
                } else {
                    return l;
                }
            }
        }

        Node product() {
            Node l = atom();
            while (true) {
                if (eat("*")) {
                    Node a = l;
                    Node b = atom();
                    l = p -> num(a.eval(p)) * num(b.eval(p));
                } else if (eat("/")) {
                    Node a = l;
                    Node b = atom();
                    l = p -> num(a.eval(p)) / divisor("/", b.eval(p));
                } else if (eat("%")) {
                    Node a = l;
                    Node b = atom();
                    l = p -> num(a.eval(p)) % divisor("%", b.eval(p));
                } else {
                    return l;
                }
            }
        }

        Node atom() {
            skip();
            if (eat("(")) {
                Node n = or();
                if (!eat(")")) {
                    throw new IllegalArgumentException("missing ')' in constraint '" + s + "'");
                }
                return n;
            }
            if (pos < s.length() && s.charAt(pos) == '\'') {
                int end = s.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated string in constraint '" + s + "'");
                }
                String lit = s.substring(pos + 1, end);
                pos = end + 1;
                return p -> lit;
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                    || s.charAt(pos) == '.')) {
                pos++;
            }
            String tok = s.substring(start, pos);
            if (tok.isEmpty()) {
                throw new IllegalArgumentException("expected a number or a name at '" + s.substring(start)
                        + "' in constraint '" + s + "'");
            }
            if (Character.isDigit(tok.charAt(0))) {
                double v = Double.parseDouble(tok);
                return p -> v;
            }
            return p -> lookup(tok, p);
        }
    }

    static Object lookup(String name, Map<String, String> point) {
        String v = point.get(name);
        if (v == null && (name.endsWith("_n") || name.endsWith("_m"))) {
            String base = point.get(name.substring(0, name.length() - 2));
            if (base != null) {
                String[] parts = base.equalsIgnoreCase("dense") ? new String[] {"1", "1"} : base.split("[:xX]");
                if (parts.length == 2) {
                    return Double.parseDouble(parts[name.endsWith("_n") ? 0 : 1].trim());
                }
            }
        }
        if (v == null) {
            throw new IllegalArgumentException("unknown name '" + name + "'; known: " + point.keySet()
                    + " (and NAME_n / NAME_m for N:M or RxC values)");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static double divisor(String op, Object o) {
        double d = num(o);
        if (d == 0) {
            throw new IllegalArgumentException("'" + op + "' divides by zero; allowed: divisors that are never 0"
                    + " (add a constraint such as 'x != 0' before it, joined with &&)");
        }
        return d;
    }

    private static boolean bool(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("expected a comparison, got " + o);
    }

    private static double num(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("expected a number, got '" + o + "'");
    }

    private static boolean compare(String op, Object a, Object b) {
        if (a instanceof String || b instanceof String) {
            boolean eq = String.valueOf(a).equals(String.valueOf(b));
            return switch (op) {
                case "==" -> eq;
                case "!=" -> !eq;
                default -> throw new IllegalArgumentException("cannot order text values with " + op);
            };
        }
        double x = num(a);
        double y = num(b);
        return switch (op) {
            case "<" -> x < y;
            case "<=" -> x <= y;
            case ">" -> x > y;
            case ">=" -> x >= y;
            case "==" -> x == y;
            default -> x != y;
        };
    }
}
