package dev.sieve.hdl.lib.model;

import dev.sieve.cosim.CycleModel;
import dev.sieve.cosim.Port;
import dev.sieve.hdl.lib.Ram;
import java.util.List;

/**
 * Golden model of {@link Ram} (words up to 64 bits): a registered read that returns the word
 * stored before a same-cycle write (read-first); reset does not touch the contents or the read
 * register; addresses at or beyond the depth read as zero and do not write.
 */
public final class RamModel implements CycleModel {
    private static final int RST = 0, WR_EN = 1, WR_ADDR = 2, WR_DATA = 3, RD_EN = 4, RD_ADDR = 5, RD_DATA = 6;
    private final List<Port> ports;
    private final long[] words;
    private final long[] in = new long[6];
    private long rdData;

    public RamModel(Ram.Config cfg) {
        if (cfg.width() > 64) {
            throw new IllegalArgumentException("RamModel handles words up to 64 bits, got " + cfg.width());
        }
        ports = List.of(Port.input("rst", 1), Port.input("wr_en", 1), Port.input("wr_addr", cfg.addressWidth()),
                Port.input("wr_data", cfg.width()), Port.input("rd_en", 1), Port.input("rd_addr", cfg.addressWidth()),
                Port.output("rd_data", cfg.width()));
        words = new long[cfg.depth()];
    }

    @Override
    public List<Port> ports() {
        return ports;
    }

    @Override
    public void reset() {
    }

    @Override
    public void setInput(int port, long value) {
        in[port] = value;
    }

    @Override
    public void tick() {
        if (in[RD_EN] != 0) {
            rdData = in[RD_ADDR] < words.length ? words[(int) in[RD_ADDR]] : 0;
        }
        if (in[WR_EN] != 0 && in[WR_ADDR] < words.length) {
            words[(int) in[WR_ADDR]] = in[WR_DATA];
        }
    }

    @Override
    public long output(int port) {
        if (port != RD_DATA) {
            throw new IllegalArgumentException("not an output: " + port);
        }
        return rdData;
    }
}
