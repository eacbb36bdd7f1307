package dev.sieve.sim.spatten;

import dev.sieve.arch.spatten.AttentionArithmetic;
import dev.sieve.arch.spatten.SpAttenConfig;
import dev.sieve.dataflow.spatten.SpAttenPolicy;
import dev.sieve.hdl.spatten.TopKEngine;
import dev.sieve.hdl.spatten.model.TopKEngineModel;
import java.util.SplittableRandom;

/**
 * The accelerator's functional path: multi-head attention in its 12-bit fixed point, with cascade
 * token and head pruning, progressive quantization and local V pruning applied, all selections made
 * with the top-k engine's semantics (k largest, ties to the lower index).
 *
 * <p><b>Number format.</b> {@link AttentionArithmetic}, the one definition this path shares with the
 * attention pipeline's RTL and its golden model: Q, K, V and outputs are 12-bit two's complement
 * with 8 fraction bits. A score is the exact integer {@code s = Σ_d q_d k_d} (16 fraction bits). The
 * logit is {@code t = s >> (10 + floor(log2(D) / 2))} (arithmetic shift: 6 fraction bits, scaled by
 * 1/√D, exact for D a power of 4). Softmax: {@code e_j = EXP[min(max_t - t_j, 1023)]} with
 * {@code EXP[x] = round(4095 · exp(-x / 64))}, {@code p_j = min(4095, floor(4096 · e_j / Σ e))}
 * (12-bit probabilities, 12 fraction bits). Output {@code o_d = clamp12((Σ_j p_j v_jd) >> 12)}.
 *
 * <p><b>Pruning.</b> Tokens outside the top {@code tokensKept} by accumulated importance are gone as
 * keys, values and queries; heads outside the top {@code headsKept} by head importance are not
 * computed. With {@code msbBits < 12}, scores are first computed from Q and K with their low
 * {@code 12 - msbBits} bits cleared; a query whose largest probability is below {@code tau · 4096}
 * is recomputed at full precision (an LSB refetch). Local V pruning keeps the top {@code valuesKept}
 * probabilities of each query; the others contribute nothing (no renormalization).
 */
public final class FixedPointAttention {
    public static final int WORD_BITS = AttentionArithmetic.WORD_BITS;
    public static final int FRACTION_BITS = AttentionArithmetic.FRACTION_BITS;
    public static final int PROB_ONE = AttentionArithmetic.PROB_ONE;
    /** The paper's top-k engine; which values a selection keeps does not depend on its comparators. */
    private static final SpAttenConfig.TopK ENGINE = SpAttenConfig.paper().topk(SpAttenConfig.TopK.MAX_N);

    private FixedPointAttention() {
    }

    /** What to prune; {@link #off} keeps everything at full precision. */
    public record Pruning(int tokensKept, int headsKept, int valuesKept, int msbBits, double tau) {
        public static Pruning off(int tokens, int heads) {
            return new Pruning(tokens, heads, tokens, WORD_BITS, 0);
        }
    }

    /**
     * Outputs {@code out[h][i][d]} (zero for pruned heads and pruned query tokens), which tokens and
     * heads were kept, the importance this layer adds ({@code Σ_h Σ_i p[h,i,j]} per token,
     * {@code Σ |o|} per head), and how many query rows refetched LSBs out of how many were computed.
     */
    public record Result(int[][][] out, boolean[] tokenKept, boolean[] headKept, long[] tokenImportance,
                         long[] headImportance, int refetchRows, int rows) {
    }

    /** Runs one layer; {@code q/k/v[h][token][d]}; importance arrays come from earlier layers. */
    public static Result run(int[][][] q, int[][][] k, int[][][] v, long[] tokenImportance, long[] headImportance,
                             Pruning p) {
        int heads = q.length;
        int tokens = q[0].length;
        int d = q[0][0].length;
        if (p.tokensKept() < 1 || p.tokensKept() > tokens || p.headsKept() < 1 || p.headsKept() > heads
                || p.valuesKept() < 1 || p.msbBits() < 1 || p.msbBits() > WORD_BITS) {
            throw new IllegalArgumentException("pruning " + p + " does not fit " + heads + " heads x " + tokens
                    + " tokens (top-k needs 1 <= k <= n)");
        }
        boolean[] tokenKept = keepTop(tokenImportance, p.tokensKept());
        boolean[] headKept = keepTop(headImportance, p.headsKept());
        int lsb = WORD_BITS - p.msbBits();
        int[][][] out = new int[heads][tokens][d];
        long[] tokImp = new long[tokens];
        long[] headImp = new long[heads];
        int refetch = 0, rows = 0;
        int[] keys = indices(tokenKept);
        for (int h = 0; h < heads; h++) {
            if (!headKept[h]) {
                continue;
            }
            for (int i : keys) {
                rows++;
                Query one = query(q[h][i], k[h], v[h], keys, p.valuesKept(), lsb, p.tau());
                refetch += one.refetched() ? 1 : 0;
                for (int j = 0; j < keys.length; j++) {
                    tokImp[keys[j]] += one.prob()[j];
                }
                out[h][i] = one.out();
                for (int c = 0; c < d; c++) {
                    headImp[h] += Math.abs(out[h][i][c]);
                }
            }
        }
        return new Result(out, tokenKept, headKept, tokImp, headImp, refetch, rows);
    }

    /**
     * One query: its output vector, its probabilities over {@code keys} (after any refetch) and
     * whether it refetched its LSBs.
     */
    public record Query(int[] out, int[] prob, boolean refetched) {
    }

    /**
     * One query {@code qi} over the keys {@code keys} (indices into {@code kh} and {@code vh}, in
     * order): scores on Q and K with their low {@code lsb} bits cleared, an LSB refetch (full
     * precision) when the largest probability is below {@code tau · 4096} and {@code lsb > 0},
     * then prob·V over the top {@code valuesKept} probabilities (all when
     * {@code valuesKept >= keys.length}). What the attention pipeline computes for one query.
     */
    public static Query query(int[] qi, int[][] kh, int[][] vh, int[] keys, int valuesKept, int lsb, double tau) {
        int d = qi.length;
        int shift = AttentionArithmetic.logitShift(d);
        int[] prob = softmax(qi, kh, keys, shift, lsb);
        boolean refetched = lsb > 0 && max(prob) < AttentionArithmetic.refetchThreshold(tau);
        if (refetched) {
            prob = softmax(qi, kh, keys, shift, 0);
        }
        boolean[] useV = valuesKept >= keys.length ? null
                : TopKEngineModel.select(prob, valuesKept, ENGINE, TopKEngine.LFSR_SEED).keep();
        int[] o = new int[d];
        for (int c = 0; c < d; c++) {
            long acc = 0;
            for (int j = 0; j < keys.length; j++) {
                if (useV == null || useV[j]) {
                    acc += (long) prob[j] * vh[keys[j]][c];
                }
            }
            o[c] = AttentionArithmetic.output(acc);
        }
        return new Query(o, prob, refetched);
    }

    /** Probabilities of query {@code qi} over keys {@code keys} of {@code kh}, Q/K with {@code lsb} low bits cleared. */
    private static int[] softmax(int[] qi, int[][] kh, int[] keys, int shift, int lsb) {
        long[] t = new long[keys.length];
        long max = Long.MIN_VALUE;
        for (int j = 0; j < keys.length; j++) {
            int[] kj = kh[keys[j]];
            long s = 0;
            for (int c = 0; c < qi.length; c++) {
                s += (long) AttentionArithmetic.dropLsb(qi[c], lsb) * AttentionArithmetic.dropLsb(kj[c], lsb);
            }
            t[j] = s >> shift;
            max = Math.max(max, t[j]);
        }
        long sum = 0;
        int[] e = new int[keys.length];
        for (int j = 0; j < keys.length; j++) {
            e[j] = AttentionArithmetic.exp(max - t[j]);
            sum += e[j];
        }
        int[] prob = new int[keys.length];
        for (int j = 0; j < keys.length; j++) {
            prob[j] = AttentionArithmetic.prob(e[j], sum);
        }
        return prob;
    }

    private static boolean[] keepTop(long[] importance, int k) {
        int[] v = new int[importance.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, importance[i]));
        }
        if (k >= v.length) {
            boolean[] all = new boolean[v.length];
            java.util.Arrays.fill(all, true);
            return all;
        }
        return TopKEngineModel.select(v, k, ENGINE, TopKEngine.LFSR_SEED).keep();
    }

    private static int[] indices(boolean[] keep) {
        int n = 0;
        for (boolean b : keep) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int x : a) {
            m = Math.max(m, x);
        }
        return m;
    }

    static int clamp(long x) {
        return AttentionArithmetic.clamp(x);
    }

    // ------------------------------------------------------------------ synthetic check

    /**
     * Error of the pruned path against the unpruned one, over kept heads and kept query tokens, with
     * everything pruned at once and with each technique alone; the refetch fraction is that of
     * progressive quantization alone (rows of full attention whose max probability is below tau).
     */
    public record ErrorReport(int heads, int tokens, boolean exactWhenOff, double relativeL2, long maxAbsLsb,
                              double refetchFraction, double tokenOnlyL2, double valueOnlyL2, double quantOnlyL2) {
    }

    /**
     * Synthetic Q/K/V (12-bit) with salient tokens, as real attention has: per head a random unit
     * direction u; each query is N(0, 1)^D + 6u, each key N(0, 1)^D + b_t u, each value N(0, 1)^D,
     * where the salience {@code b_t = 8 U^3} (U uniform) depends only on the token and
     * {@code salienceSeed}, so layers built with the same salience seed attend to the same tokens.
     */
    public static int[][][][] syntheticLayer(int heads, int tokens, int d, long seed, long salienceSeed) {
        SplittableRandom sal = new SplittableRandom(salienceSeed);
        double[] b = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            double u = sal.nextDouble();
            b[t] = 8 * u * u * u;
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[][][][] qkv = new int[3][heads][tokens][d];
        double one = 1 << FRACTION_BITS;
        for (int h = 0; h < heads; h++) {
            double[] u = new double[d];
            double norm = 0;
            for (int c = 0; c < d; c++) {
                u[c] = r.nextGaussian();
                norm += u[c] * u[c];
            }
            for (int c = 0; c < d; c++) {
                u[c] /= Math.sqrt(norm);
            }
            for (int t = 0; t < tokens; t++) {
                for (int c = 0; c < d; c++) {
                    qkv[0][h][t][c] = clamp(Math.round((r.nextGaussian() + 6 * u[c]) * one));
                    qkv[1][h][t][c] = clamp(Math.round((r.nextGaussian() + b[t] * u[c]) * one));
                    qkv[2][h][t][c] = clamp(Math.round(r.nextGaussian() * one));
                }
            }
        }
        return qkv;
    }

    /**
     * Two synthetic layers: the first, unpruned, yields token and head importance; the second runs
     * unpruned (checked bit for bit against {@link ReferenceAttention}) and pruned with the last
     * layer's ratios and the quantization settings of {@code policy} (a technique whose switch is off
     * prunes nothing); the error of the pruned outputs is reported.
     */
    public static ErrorReport syntheticCheck(SpAttenPolicy policy, int heads, int d, int tokens, long seed) {
        double tokenRatio = policy.pruning() ? policy.tokenPruneRatio() : 0;
        double headRatio = policy.pruning() ? policy.headPruneRatio() : 0;
        double valueRatio = policy.pruning() ? policy.valuePruneRatio() : 0;
        int msbBits = policy.quantization() ? policy.msbBits() : WORD_BITS;
        double tau = policy.quantization() ? policy.requantThreshold() : 0;
        int[][][][] l1 = syntheticLayer(heads, tokens, d, seed, seed ^ 0x5A1E);
        int[][][][] l2 = syntheticLayer(heads, tokens, d, seed + 1, seed ^ 0x5A1E);
        Result first = run(l1[0], l1[1], l1[2], new long[tokens], new long[heads], Pruning.off(tokens, heads));
        Result dense = run(l2[0], l2[1], l2[2], first.tokenImportance(), first.headImportance(),
                Pruning.off(tokens, heads));
        boolean exact = java.util.Arrays.deepEquals(dense.out(), ReferenceAttention.attention(l2[0], l2[1], l2[2]));
        int keepTokens = Math.max(1, (int) Math.floor(tokens * (1 - tokenRatio)));
        int keepHeads = Math.max(1, (int) Math.floor(heads * (1 - headRatio)));
        int keepValues = Math.max(1, (int) Math.floor(keepTokens * (1 - valueRatio)));
        long[] ti = first.tokenImportance();
        long[] hi = first.headImportance();
        Result pruned = run(l2[0], l2[1], l2[2], ti, hi,
                new Pruning(keepTokens, keepHeads, keepValues, msbBits, tau));
        double[] all = error(pruned, dense);
        double tokenOnly = error(run(l2[0], l2[1], l2[2], ti, hi, new Pruning(keepTokens, heads, tokens, WORD_BITS, 0)),
                dense)[0];
        double valueOnly = error(run(l2[0], l2[1], l2[2], ti, hi,
                new Pruning(tokens, heads, Math.max(1, (int) Math.floor(tokens * (1 - valueRatio))),
                        WORD_BITS, 0)), dense)[0];
        Result quant = run(l2[0], l2[1], l2[2], ti, hi,
                new Pruning(tokens, heads, tokens, msbBits, tau));
        return new ErrorReport(heads, tokens, exact, all[0], (long) all[1],
                quant.rows() == 0 ? 0 : (double) quant.refetchRows() / quant.rows(), tokenOnly, valueOnly,
                error(quant, dense)[0]);
    }

    /** Relative L2 error and max absolute error (LSBs) of {@code pruned} over its kept heads and query tokens. */
    private static double[] error(Result pruned, Result dense) {
        double num = 0, den = 0;
        long maxAbs = 0;
        int[][][] po = pruned.out();
        int[][][] dOut = dense.out();
        for (int h = 0; h < po.length; h++) {
            if (!pruned.headKept()[h]) {
                continue;
            }
            for (int i = 0; i < po[h].length; i++) {
                if (!pruned.tokenKept()[i]) {
                    continue;
                }
                for (int c = 0; c < po[h][i].length; c++) {
                    long diff = po[h][i][c] - dOut[h][i][c];
                    num += (double) diff * diff;
                    den += (double) dOut[h][i][c] * dOut[h][i][c];
                    maxAbs = Math.max(maxAbs, Math.abs(diff));
                }
            }
        }
        return new double[] {den == 0 ? 0 : Math.sqrt(num / den), maxAbs};
    }
}
