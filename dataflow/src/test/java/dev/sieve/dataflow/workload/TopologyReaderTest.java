package dev.sieve.dataflow.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sieve.arch.NmPattern;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyReaderTest {

    private static final String HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";

    @Test
    void readsTheResnet18Example() {
        Topology t = TopologyReader.read(Path.of("../examples/topologies/resnet18_cifar10.csv"));
        assertEquals(21, t.layers().size());
        Layer conv1 = t.layers().get(0);
        assertEquals("conv1", conv1.name());
        assertEquals(2, conv1.line());
        // conv1 1024*27*64 + layer1 4*1024*576*64 + layers 2..4 each (3*37,748,736 + 18,874,368 + 2,097,152)
        // + fc 512*10 = 1,769,472 + 150,994,944 + 3*134,217,728 + 5,120
        assertEquals(555_422_720L, t.macs(1));
    }

    @Test
    void readsTheVgg16Example() {
        Topology t = TopologyReader.read(Path.of("../examples/topologies/vgg16.csv"));
        assertEquals(16, t.layers().size());
        assertEquals(224, t.layers().get(0).outH());
    }

    @Test
    void readsGemmModeAsScaleSimConvertsIt() {
        Topology t = TopologyReader.parse("g.csv", "Layer Name, M, N, K,\nqkv, 128, 768, 256,\n");
        Layer l = t.layers().get(0);
        assertEquals(Layer.Kind.GEMM, l.kind());
        assertEquals(128, l.vectors(1));
        assertEquals(256, l.reduction());
        assertEquals(768, l.outputs());
    }

    @Test
    void readsTheOptionalSparsityColumn() {
        String csv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Sparsity,\n"
                + "a, 8, 8, 3, 3, 16, 16, 1, 2:4,\n"
                + "b, 8, 8, 3, 3, 16, 16, 1, ,\n"
                + "c, 8, 8, 3, 3, 16, 16, 1,\n";
        Topology t = TopologyReader.parse("s.csv", csv);
        assertEquals(NmPattern.parse("2:4"), t.layers().get(0).sparsity());
        assertNull(t.layers().get(1).sparsity());
        assertNull(t.layers().get(2).sparsity());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing trailing comma|c1, 34, 34, 3, 3, 3, 64, 1|2|trailing comma|does not end with ','",
        "non-numeric|c1, 34, 34, 3, 3, three, 64, 1,|2|Channels|'three' is not a whole number",
        "zero|c1, 34, 34, 3, 3, 3, 0, 1,|2|Num Filter|0 is out of range; allowed 1 ..",
        "negative|c1, 34, 34, 3, 3, 3, 64, -2,|2|Strides|-2 is out of range; allowed 1 ..",
        "filter larger than ifmap|c1, 4, 34, 5, 3, 3, 64, 1,|2|Filter Height|Filter Height = 5 is larger than IFMAP Height = 4",
        "missing field|c1, 34, 34, 3, 3, 3,|2|Num Filter|missing; the row has 6 of 8 fields",
        "too many fields|c1, 34, 34, 3, 3, 3, 64, 1, 9,|2|row|has 9 fields; the header has 8",
        "empty name|, 34, 34, 3, 3, 3, 64, 1,|2|Layer name|is empty",
    })
    void badRowNamesFileLineAndField(String what, String row, int line, String field, String problem) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyReader.parse("net.csv", HEADER + row + "\n"));
        assertEquals("net.csv", e.file(), what);
        assertEquals(line, e.line(), what);
        assertEquals(field, e.field(), what);
        assertEquals(true, e.getMessage().startsWith("net.csv:" + line + ": field '" + field + "': "), e.getMessage());
        assertEquals(true, e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void badRowIsReportedOnItsOwnLineAfterGoodRowsAndBlankLines() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyReader.parse("net.csv",
                HEADER + "a, 8, 8, 3, 3, 4, 4, 1,\n\nb, 8, 8, 3, 3, 4, x, 1,\n"));
        assertEquals(4, e.line());
        assertEquals("Num Filter", e.field());
    }

    @Test
    void badSparsityIsReportedWithTheColumn() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyReader.parse("s.csv",
                HEADER.replace("Strides,", "Strides, Sparsity,") + "a, 8, 8, 3, 3, 4, 4, 1, 3:6,\n"));
        assertEquals("s.csv:2: field 'Sparsity': N:M group size M = 6 is not allowed; allowed 1, 2, 4, 8, 16, 32, 64",
                e.getMessage());
    }

    @Test
    void badHeaderEmptyFileAndMissingFileAreReported() {
        assertEquals("header", assertThrows(TopologyException.class,
                () -> TopologyReader.parse("h.csv", "Layer, H, W,\n")).field());
        assertEquals("header", assertThrows(TopologyException.class, () -> TopologyReader.parse("e.csv", "\n")).field());
        assertEquals("row", assertThrows(TopologyException.class, () -> TopologyReader.parse("n.csv", HEADER)).field());
        dev.sieve.io.InputException missing = assertThrows(dev.sieve.io.InputException.class,
                () -> TopologyReader.read(Path.of("no/such.csv")));
        assertEquals("no/such.csv: no such file", missing.getMessage());
    }
}
