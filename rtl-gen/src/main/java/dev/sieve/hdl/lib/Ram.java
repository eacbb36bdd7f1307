package dev.sieve.hdl.lib;

import dev.sieve.arch.Range;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Memory;
import dev.sieve.hdl.Signal;

/**
 * A simple dual-port RAM: one write port and one registered read port ({@code rd_data} holds
 * {@code mem[rd_addr]} from the edge where {@code rd_en} was high; a read of the address being
 * written in the same cycle returns the old word). This is the form synthesis maps to block RAM.
 */
public final class Ram extends Component {

    /** RAM parameters: word width 1..1024 bits, depth 2..1048576 words. */
    public record Config(int width, int depth) {
        public static final Range WIDTH = new Range(1, 1024);
        public static final Range DEPTH = new Range(2, 1 << 20);

        public Config {
            WIDTH.check("width", width);
            DEPTH.check("depth", depth);
        }

        public int addressWidth() {
            return Bits.widthFor(depth - 1);
        }
    }

    public final Signal wrEn;
    public final Signal wrAddr;
    public final Signal wrData;
    public final Signal rdEn;
    public final Signal rdAddr;
    public final Signal rdData;
    private final Memory words;

    public Ram(Config cfg) {
        super("ram_w" + cfg.width() + "_d" + cfg.depth());
        wrEn = input("wr_en", 1);
        wrAddr = input("wr_addr", cfg.addressWidth());
        wrData = input("wr_data", cfg.width());
        rdEn = input("rd_en", 1);
        rdAddr = input("rd_addr", cfg.addressWidth());
        rdData = output("rd_data", cfg.width());

        words = memory(cfg.width(), cfg.depth());
        write(words, wrAddr, wrData, wrEn);
        assign(rdData, readSync("rd_word", words, rdAddr, rdEn));
    }
}
