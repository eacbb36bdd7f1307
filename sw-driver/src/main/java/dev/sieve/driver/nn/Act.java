package dev.sieve.driver.nn;

/** An activation (or its gradient): {@code c x b x h x w} floats, channel-major ({@code [c][b][h][w]}). */
public record Act(float[] data, int c, int b, int h, int w) {

    public Act {
        if ((long) c * b * h * w != data.length) {
            throw new IllegalArgumentException("activation " + c + "x" + b + "x" + h + "x" + w + " needs "
                    + (long) c * b * h * w + " values, got " + data.length);
        }
    }

    public static Act zeros(int c, int b, int h, int w) {
        return new Act(new float[c * b * h * w], c, b, h, w);
    }

    /** Values per channel: {@code b*h*w} (the GEMM's vectors). */
    public int plane() {
        return b * h * w;
    }
}
