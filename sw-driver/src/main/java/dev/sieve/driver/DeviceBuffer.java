package dev.sieve.driver;

/**
 * A buffer in device memory: {@code size} FP32 words. Devices here share memory with the host (an
 * integrated accelerator), so {@link #host()} maps it; {@link Device#write} and {@link Device#read}
 * are the explicit copies a discrete device would need.
 */
public final class DeviceBuffer {
    private final Device owner;
    private final String label;
    private final float[] data;

    DeviceBuffer(Device owner, String label, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("buffer " + label + ": size = " + size + " is not allowed; allowed >= 0");
        }
        this.owner = owner;
        this.label = label;
        this.data = new float[size];
    }

    DeviceBuffer(Device owner, String label, float[] registered) {
        this.owner = owner;
        this.label = label;
        this.data = registered;
    }

    public int size() {
        return data.length;
    }

    public String label() {
        return label;
    }

    /** The mapped host view (shared memory). */
    public float[] host() {
        return data;
    }

    Device owner() {
        return owner;
    }
}
