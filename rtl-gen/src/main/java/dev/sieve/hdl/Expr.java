package dev.sieve.hdl;

import java.math.BigInteger;
import java.util.List;

/**
 * The HDL IR: a closed set of immutable expression nodes. Every node has an explicit width,
 * checked when the node is built; an operation on operands of different widths throws an
 * {@link HdlException} naming both operands, their widths and the generator line that built it.
 * The default methods are the fluent way to build nodes ({@code a.add(b).slice(3, 0)}).
 */
public sealed interface Expr permits Signal, Expr.Const, Expr.Unary, Expr.Binary, Expr.Mux, Expr.Concat,
        Expr.Slice, Expr.Extend, Expr.MemRead {

    int width();

    /** A constant of the given width; the value must fit in it as an unsigned number. */
    record Const(int width, BigInteger value) implements Expr {
        public Const {
            if (width < 1) {
                throw new HdlException("constant width must be at least 1, got " + width + " at " + Site.caller());
            }
            if (value.signum() < 0 || value.bitLength() > width) {
                throw new HdlException("constant " + value + " does not fit in " + width + " unsigned bits at "
                        + Site.caller());
            }
        }
    }

    /** Unary operators. Reductions give one bit; NOT and NEG keep the width. */
    enum UnaryOp { NOT, NEG, AND_REDUCE, OR_REDUCE, XOR_REDUCE }

    record Unary(UnaryOp op, Expr arg) implements Expr {
        @Override
        public int width() {
            return switch (op) {
                case NOT, NEG -> arg.width();
                case AND_REDUCE, OR_REDUCE, XOR_REDUCE -> 1;
            };
        }
    }

    /**
     * Binary operators. Arithmetic and bitwise ops need equal widths and keep them (addition
     * wraps: extend first to keep the carry); comparisons need equal widths and give one bit;
     * multiplies give the sum of the widths; shifts keep the left operand's width.
     */
    enum BinaryOp {
        ADD("+"), SUB("-"), AND("&"), OR("|"), XOR("^"),
        EQ("=="), NE("!="), LT_U("<"), LE_U("<="), GT_U(">"), GE_U(">="),
        LT_S("<"), LE_S("<="), GT_S(">"), GE_S(">="),
        MUL_U("*"), MUL_S("*"), SHL("<<"), SHR(">>"), SRA(">>>");

        final String verilog;

        BinaryOp(String verilog) {
            this.verilog = verilog;
        }

        boolean isCompare() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE_S.ordinal();
        }

        boolean isSigned() {
            return this == LT_S || this == LE_S || this == GT_S || this == GE_S || this == MUL_S || this == SRA;
        }

        boolean isShift() {
            return this == SHL || this == SHR || this == SRA;
        }

        boolean isMul() {
            return this == MUL_U || this == MUL_S;
        }
    }

    record Binary(BinaryOp op, Expr a, Expr b) implements Expr {
        public Binary {
            if (!op.isShift() && !op.isMul() && a.width() != b.width()) {
                throw widthError(op.name(), a, b);
            }
        }

        @Override
        public int width() {
            if (op.isCompare()) {
                return 1;
            }
            if (op.isMul()) {
                return a.width() + b.width();
            }
            return a.width();
        }
    }

    /** {@code sel ? ifTrue : ifFalse}; sel is one bit, both arms the same width. */
    record Mux(Expr sel, Expr ifTrue, Expr ifFalse) implements Expr {
        public Mux {
            if (sel.width() != 1) {
                throw new HdlException("mux select " + describe(sel) + " is " + sel.width()
                        + " bits; it must be 1 bit, at " + Site.caller());
            }
            if (ifTrue.width() != ifFalse.width()) {
                throw widthError("MUX", ifTrue, ifFalse);
            }
        }

        @Override
        public int width() {
            return ifTrue.width();
        }
    }

    /** Concatenation, most significant part first. */
    record Concat(List<Expr> parts) implements Expr {
        public Concat {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new HdlException("concat of nothing at " + Site.caller());
            }
        }

        @Override
        public int width() {
            int w = 0;
            for (Expr p : parts) {
                w += p.width();
            }
            return w;
        }
    }

    /** Bits {@code hi..lo} of {@code arg}, inclusive. */
    record Slice(Expr arg, int hi, int lo) implements Expr {
        public Slice {
            if (lo < 0 || hi < lo || hi >= arg.width()) {
                throw new HdlException("slice [" + hi + ":" + lo + "] is outside " + describe(arg) + " ("
                        + arg.width() + " bits) at " + Site.caller());
            }
        }

        @Override
        public int width() {
            return hi - lo + 1;
        }
    }

    /** Zero or sign extension to a width at least the argument's. */
    record Extend(Expr arg, int width, boolean signed) implements Expr {
        public Extend {
            if (width < arg.width()) {
                throw new HdlException("cannot extend " + describe(arg) + " (" + arg.width() + " bits) to "
                        + width + " bits; use slice or resize to narrow, at " + Site.caller());
            }
        }
    }

    /** Asynchronous (combinational) memory read. */
    record MemRead(Memory memory, Expr address) implements Expr {
        public MemRead {
            if (address.width() != memory.addressWidth()) {
                throw new HdlException("address " + describe(address) + " is " + address.width()
                        + " bits but memory '" + memory.name() + "' (depth " + memory.depth() + ") needs "
                        + memory.addressWidth() + " bits, at " + Site.caller());
            }
        }

        @Override
        public int width() {
            return memory.width();
        }
    }

    // ---- constants ----

    static Const lit(int width, long value) {
        if (value < 0) {
            throw new HdlException("constant " + value + " is negative; give its unsigned bits, at " + Site.caller());
        }
        return new Const(width, BigInteger.valueOf(value));
    }

    static Const zero(int width) {
        return new Const(width, BigInteger.ZERO);
    }

    static Const ones(int width) {
        return new Const(width, Bits.maskBig(width));
    }

    // ---- fluent builders ----

    default Expr add(Expr o) { return new Binary(BinaryOp.ADD, this, o); }
    default Expr sub(Expr o) { return new Binary(BinaryOp.SUB, this, o); }
    default Expr and(Expr o) { return new Binary(BinaryOp.AND, this, o); }
    default Expr or(Expr o) { return new Binary(BinaryOp.OR, this, o); }
    default Expr xor(Expr o) { return new Binary(BinaryOp.XOR, this, o); }
    default Expr eq(Expr o) { return new Binary(BinaryOp.EQ, this, o); }
    default Expr ne(Expr o) { return new Binary(BinaryOp.NE, this, o); }
    default Expr ltU(Expr o) { return new Binary(BinaryOp.LT_U, this, o); }
    default Expr leU(Expr o) { return new Binary(BinaryOp.LE_U, this, o); }
    default Expr gtU(Expr o) { return new Binary(BinaryOp.GT_U, this, o); }
    default Expr geU(Expr o) { return new Binary(BinaryOp.GE_U, this, o); }
    default Expr ltS(Expr o) { return new Binary(BinaryOp.LT_S, this, o); }
    default Expr geS(Expr o) { return new Binary(BinaryOp.GE_S, this, o); }
    default Expr gtS(Expr o) { return new Binary(BinaryOp.GT_S, this, o); }
    default Expr leS(Expr o) { return new Binary(BinaryOp.LE_S, this, o); }
    /** Unsigned product, {@code width() + o.width()} bits. */
    default Expr mulU(Expr o) { return new Binary(BinaryOp.MUL_U, this, o); }
    /** Two's-complement product, {@code width() + o.width()} bits. */
    default Expr mulS(Expr o) { return new Binary(BinaryOp.MUL_S, this, o); }
    default Expr shl(Expr amount) { return new Binary(BinaryOp.SHL, this, amount); }
    default Expr shr(Expr amount) { return new Binary(BinaryOp.SHR, this, amount); }
    default Expr sra(Expr amount) { return new Binary(BinaryOp.SRA, this, amount); }

    default Expr add(long c) { return add(lit(width(), c)); }
    default Expr sub(long c) { return sub(lit(width(), c)); }
    default Expr eq(long c) { return eq(lit(width(), c)); }
    default Expr ne(long c) { return ne(lit(width(), c)); }

    default Expr not() { return new Unary(UnaryOp.NOT, this); }
    default Expr neg() { return new Unary(UnaryOp.NEG, this); }
    default Expr andReduce() { return new Unary(UnaryOp.AND_REDUCE, this); }
    default Expr orReduce() { return new Unary(UnaryOp.OR_REDUCE, this); }
    default Expr xorReduce() { return new Unary(UnaryOp.XOR_REDUCE, this); }

    /** {@code this ? ifTrue : ifFalse}; this must be one bit. */
    default Expr select(Expr ifTrue, Expr ifFalse) { return new Mux(this, ifTrue, ifFalse); }

    default Expr slice(int hi, int lo) {
        return (lo == 0 && hi == width() - 1) ? this : new Slice(this, hi, lo);
    }

    default Expr bit(int i) { return slice(i, i); }

    default Expr msb() { return bit(width() - 1); }

    /** Zero-extends to {@code w >= width()} bits. */
    default Expr zext(int w) { return w == width() ? this : new Extend(this, w, false); }

    /** Sign-extends to {@code w >= width()} bits. */
    default Expr sext(int w) { return w == width() ? this : new Extend(this, w, true); }

    /** Explicit unsigned resize: zero-extends or keeps the low {@code w} bits. */
    default Expr resize(int w) { return w >= width() ? zext(w) : slice(w - 1, 0); }

    /** Explicit signed resize: sign-extends or keeps the low {@code w} bits. */
    default Expr resizeSigned(int w) { return w >= width() ? sext(w) : slice(w - 1, 0); }

    /** {@code this} concatenated above {@code lower}. */
    default Expr concat(Expr lower) { return new Concat(List.of(this, lower)); }

    // ---- static helpers ----

    static Expr cat(Expr... partsMsbFirst) {
        return partsMsbFirst.length == 1 ? partsMsbFirst[0] : new Concat(List.of(partsMsbFirst));
    }

    static Expr mux(Expr sel, Expr ifTrue, Expr ifFalse) {
        return new Mux(sel, ifTrue, ifFalse);
    }

    /** A short human-readable rendering of an expression for error messages. */
    static String describe(Expr e) {
        String s;
        if (e instanceof Signal sig) {
            s = sig.decl().describe();
        } else if (e instanceof Const c) {
            s = c.width() + "'h" + c.value().toString(16);
        } else if (e instanceof Unary u) {
            s = u.op().name().toLowerCase() + "(" + describe(u.arg()) + ")";
        } else if (e instanceof Binary b) {
            s = "(" + describe(b.a()) + " " + b.op().verilog + " " + describe(b.b()) + ")";
        } else if (e instanceof Mux m) {
            s = "(" + describe(m.sel()) + " ? " + describe(m.ifTrue()) + " : " + describe(m.ifFalse()) + ")";
        } else if (e instanceof Concat c) {
            s = "{" + c.parts().size() + " parts}";
        } else if (e instanceof Slice sl) {
            s = describe(sl.arg()) + "[" + sl.hi() + ":" + sl.lo() + "]";
        } else if (e instanceof Extend x) {
            s = (x.signed() ? "sext" : "zext") + "(" + describe(x.arg()) + ", " + x.width() + ")";
        } else {
            MemRead r = (MemRead) e;
            s = "'" + r.memory().name() + "'[" + describe(r.address()) + "]";
        }
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private static HdlException widthError(String op, Expr a, Expr b) {
        return new HdlException("width mismatch in " + op + ": " + describe(a) + " is " + a.width() + " bits but "
                + describe(b) + " is " + b.width() + " bits, at " + Site.caller()
                + "; resize one operand explicitly (zext/sext/resize/slice)");
    }
}
