package dev.sieve.hdl.sat.model;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.fp.Fp32Ops;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import dev.sieve.hdl.sat.SatDatapath;
import java.math.BigInteger;

/**
 * The host side of one {@link dev.sieve.hdl.sat.SatAccelerator} GEMM pass
 * {@code Y[m][n] = sum_k W[m][k] * X[k][n]}: packing W and X into the DRAM regions of
 * {@link SatAcceleratorLayout}, unpacking Y, and the reference result in the accelerator's order.
 * Operands are raw bits (INT8 two's complement or BF16), results raw INT32 or FP32 bits.
 *
 * <p>Order (the sw-driver's {@code ExactGemm}): the reduction is cut into tiles of {@code kPerTile}
 * positions ({@code R/S * kPerPe} with S row segments: the schedule's segment tiles); a tile's products are added in increasing k onto a zero partial sum, and the tile sums
 * are added in tile order onto a zero output. In N:M mode W must already be pruned (at most N
 * nonzero values per group of M along k); only its nonzero values are packed and multiplied, which
 * for finite operands gives the same bits as multiplying the zeros too (adding a zero product never
 * changes a sum that started at +0).
 */
public final class SatAcceleratorData {
    private final SatAcceleratorLayout layout;
    private final SatDatapath dp;

    public SatAcceleratorData(SatAcceleratorLayout layout) {
        this.layout = layout;
        this.dp = layout.datapath();
    }

    /**
     * Reduction positions of one reduction group in pattern {@code p}: R * kPerPe, the unit of the
     * weight and activation regions (S segment tiles of R/S rows each).
     */
    public int kPerTile(NmPattern p) {
        return dp.rows() * dp.kPerPe(p);
    }

    /**
     * The weight region ({@code kTiles} reduction groups): tile {@code ct * kTiles + kt}, its R rows of
     * C x L entries of {@link SatAcceleratorLayout#weightBits(NmPattern)} / (C L) bits each (value low,
     * log2(M) index bits above; the value only in a dense pass).
     */
    public byte[] weights(int[][] w, NmPattern p, long kTiles, long colTiles) {
        int rows = dp.rows();
        int cols = dp.cols();
        int l = dp.multipliers();
        int vw = dp.valueWidth();
        int ew = vw + SatAcceleratorLayout.indexBits(p);
        int kPerPe = dp.kPerPe(p);
        int m = w.length;
        int k = m == 0 ? 0 : w[0].length;
        int bits = layout.weightBits(p);
        long stride = SatAcceleratorLayout.stride(bits);
        byte[] out = new byte[(int) (kTiles * colTiles * rows * stride)];
        for (long ct = 0; ct < colTiles; ct++) {
            for (long kt = 0; kt < kTiles; kt++) {
                for (int r = 0; r < rows; r++) {
                    BigInteger word = BigInteger.ZERO;
                    for (int c = 0; c < cols; c++) {
                        int row = (int) (ct * cols + c);
                        long k0 = kt * kPerTile(p) + (long) r * kPerPe;
                        int[] val = new int[l];
                        int[] idx = new int[l];
                        if (p.isDense()) {
                            for (int j = 0; j < l; j++) {
                                val[j] = at(w, row, k0 + j, m, k);
                            }
                        } else {
                            for (int g = 0; g < l / p.n(); g++) {
                                int slot = 0;
                                for (int t = 0; t < p.m() && slot < p.n(); t++) {
                                    int v = at(w, row, k0 + (long) g * p.m() + t, m, k);
                                    if (v != 0) {
                                        val[g * p.n() + slot] = v;
                                        idx[g * p.n() + slot] = t;
                                        slot++;
                                    }
                                }
                            }
                        }
                        for (int j = 0; j < l; j++) {
                            long entry = (val[j] & ((1L << vw) - 1)) | ((long) idx[j] << vw);
                            word = word.or(BigInteger.valueOf(entry).shiftLeft((c * l + j) * ew));
                        }
                    }
                    put(out, ((ct * kTiles + kt) * rows + r) * stride, word, bits);
                }
            }
        }
        return out;
    }

    /**
     * The activation region: word {@code kt * n + v} of {@link SatAcceleratorLayout#actBits(NmPattern)}
     * bits, value {@code r * kPerPe + t} = X[kt*kPerTile + r*kPerPe + t][v] (t < kPerPe).
     */
    public byte[] activations(int[][] x, NmPattern p, long kTiles) {
        int rows = dp.rows();
        int vw = dp.valueWidth();
        int kPerPe = dp.kPerPe(p);
        int k = x.length;
        int n = k == 0 ? 0 : x[0].length;
        int bits = layout.actBits(p);
        long stride = SatAcceleratorLayout.stride(bits);
        byte[] out = new byte[(int) (kTiles * n * stride)];
        for (long kt = 0; kt < kTiles; kt++) {
            for (int v = 0; v < n; v++) {
                BigInteger word = BigInteger.ZERO;
                for (int r = 0; r < rows; r++) {
                    for (int t = 0; t < kPerPe; t++) {
                        long kk = kt * kPerTile(p) + (long) r * kPerPe + t;
                        int val = kk < k ? x[(int) kk][v] : 0;
                        word = word.or(BigInteger.valueOf(val & ((1L << vw) - 1)).shiftLeft((r * kPerPe + t) * vw));
                    }
                }
                put(out, (kt * n + v) * stride, word, bits);
            }
        }
        return out;
    }

    /** Bytes of the output region of {@code colTiles} column tiles and {@code n} vectors. */
    public long outputBytes(long colTiles, long n) {
        return colTiles * n * SatAcceleratorLayout.stride(layout.outBits());
    }

    /** Y ({@code m x n}) from the output region. */
    public int[][] outputs(byte[] region, int m, int n) {
        int cols = dp.cols();
        long stride = SatAcceleratorLayout.stride(layout.outBits());
        int[][] y = new int[m][n];
        for (int row = 0; row < m; row++) {
            int ct = row / cols;
            int c = row % cols;
            for (int v = 0; v < n; v++) {
                int off = (int) (((long) ct * n + v) * stride + 4L * c);
                y[row][v] = (region[off] & 0xFF) | (region[off + 1] & 0xFF) << 8 | (region[off + 2] & 0xFF) << 16
                        | (region[off + 3] & 0xFF) << 24;
            }
        }
        return y;
    }

    /** Y in the accelerator's order (class comment) with one row segment: tiles of {@link #kPerTile} positions. */
    public int[][] reference(int[][] w, int[][] x, NmPattern p) {
        return reference(w, x, p, 1);
    }

    /** Y in the accelerator's order with {@code segments} row segments: tiles of {@code R/S * kPerPe} positions. */
    public int[][] reference(int[][] w, int[][] x, NmPattern p, int segments) {
        int m = w.length;
        int k = x.length;
        int n = k == 0 ? 0 : x[0].length;
        int tile = dp.rows() / segments * dp.kPerPe(p);
        int[][] y = new int[m][n];
        boolean fp = dp.valueWidth() == 16;
        for (int i = 0; i < m; i++) {
            for (int v = 0; v < n; v++) {
                int out = 0;
                for (int t = 0; t < k; t += tile) {
                    int part = 0;
                    for (int kk = t; kk < Math.min(k, t + tile); kk++) {
                        int a = w[i][kk];
                        if (a == 0) {
                            continue;
                        }
                        part = fp ? Fp32Ops.add(part, Fp32Ops.mulBf16(a, x[kk][v])) : part + (byte) a * (byte) x[kk][v];
                    }
                    out = fp ? Fp32Ops.add(out, part) : out + part;
                }
                y[i][v] = out;
            }
        }
        return y;
    }

    private static int at(int[][] w, int row, long col, int m, int k) {
        return row < m && col < k ? w[row][(int) col] : 0;
    }

    private static void put(byte[] out, long off, BigInteger word, int bits) {
        byte[] le = word.toByteArray();
        for (int b = 0; b < (bits + 7) / 8; b++) {
            int src = le.length - 1 - b;
            out[(int) off + b] = src >= 0 ? le[src] : 0;
        }
    }
}
