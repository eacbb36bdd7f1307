package dev.sieve.dataflow.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional Post Ops column and the inference a plain SCALE-Sim file gets. */
class PostOpsTest {

    private static final String HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,"
            + " Num Filter, Strides,";

    @Test
    void readsThePostOpsColumnAfterSparsityOrAlone() {
        Topology t = TopologyReader.parse("t.csv", HEADER + " Sparsity, Post Ops,\n"
                + "a, 10, 10, 3, 3, 4, 8, 1, 2:4, bn+add+relu+maxpool2,\n"
                + "b, 6, 6, 3, 3, 8, 8, 1, , ,\n"
                + "c, 1, 1, 1, 1, 128, 10, 1,\n");
        assertEquals("bn+add+relu+maxpool2", PostOp.format(t.layers().get(0).post()));
        assertNull(t.layers().get(1).post(), "an empty cell leaves the layer to inference");
        assertNull(t.layers().get(2).post(), "so does a row that stops before the optional cells");
        assertEquals(PostOps.Source.MIXED, PostOps.source(t));
        Topology alone = TopologyReader.parse("u.csv", HEADER + " Post Ops,\na, 10, 10, 3, 3, 4, 8, 1, none,\n");
        assertEquals(List.of(), alone.layers().get(0).post());
        assertEquals(PostOps.Source.GIVEN, PostOps.source(alone));
    }

    @Test
    void aBadOperationNamesFileLineColumnAndTheAllowedWords() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyReader.parse("t.csv",
                HEADER + " Post Ops,\na, 10, 10, 3, 3, 4, 8, 1, bn+gelu,\n"));
        assertEquals("t.csv:2: field 'Post Ops': 'gelu' is not a post operation; allowed " + PostOp.ALLOWED,
                e.getMessage());
        assertThrows(TopologyException.class, () -> TopologyReader.parse("t.csv",
                HEADER + " Post Ops,\na, 10, 10, 3, 3, 4, 8, 1, softmax+relu,\n"));
        assertThrows(TopologyException.class, () -> TopologyReader.parse("t.csv",
                HEADER + " Post Ops,\na, 10, 10, 3, 3, 4, 8, 1, maxpool1,\n"));
    }

    @Test
    void infersVgg16sOperationsFromThePlainImageNetFile() {
        // conv1_2 writes 224 x 224, conv2_1 reads 114 = 112 + 2 of padding: max-pool 2; conv5_3 writes 14,
        // fc6 (7 x 7 filter, no padding) reads 7: max-pool 2; fc6 and fc7 have 1 x 1 outputs: relu only
        Topology t = TopologyReader.read(Path.of("../examples/topologies/vgg16.csv"));
        List<List<PostOp>> ops = PostOps.of(t);
        assertEquals("bn+relu", PostOp.format(ops.get(0)));
        assertEquals("bn+relu+maxpool2", PostOp.format(ops.get(1)));
        assertEquals("bn+relu+maxpool2", PostOp.format(ops.get(12)));
        assertEquals("relu", PostOp.format(ops.get(13)));
        assertEquals("softmax", PostOp.format(ops.get(15)));
        assertEquals(PostOps.Source.INFERRED, PostOps.source(t));
    }

    @Test
    void infersResnet18WithoutPoolingInsideBlocksAndAGlobalPoolBeforeTheClassifier() {
        Topology t = TopologyReader.read(Path.of("../examples/topologies/resnet18_cifar10.csv"));
        List<List<PostOp>> ops = PostOps.of(t);
        for (int i = 0; i < 19; i++) {
            assertEquals("bn+relu", PostOp.format(ops.get(i)), t.layers().get(i).name());
        }
        assertEquals("bn+relu+gap", PostOp.format(ops.get(19))); // 4 x 4 x 512 into fc's 1 x 1 x 512
        assertEquals("softmax", PostOp.format(ops.get(20)));
    }

    @Test
    void theCifarStepFilesGiveEveryLayersOperations() {
        for (String f : List.of("resnet18_cifar10_step.csv", "vgg16_cifar10.csv")) {
            Topology t = TopologyReader.read(Path.of("../examples/topologies", f));
            assertEquals(PostOps.Source.GIVEN, PostOps.source(t), f);
            // the given operations agree with the shapes: every pooling leaves the size the next layer reads
            assertEquals("softmax", PostOp.format(t.layers().get(t.layers().size() - 1).post()), f);
        }
        Topology vgg = TopologyReader.read(Path.of("../examples/topologies/vgg16_cifar10.csv"));
        assertEquals(14, vgg.layers().size());
        // VGG-16 for CIFAR-10 has 14.7 M weights: the 13 convolutions sum F x 9 x C = 14,710,464, fc 512 x 10
        assertEquals(14_710_464L + 5_120L, vgg.layers().stream().mapToLong(Layer::weights).sum());
    }
}
