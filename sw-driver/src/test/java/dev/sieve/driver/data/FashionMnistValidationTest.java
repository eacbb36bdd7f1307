package dev.sieve.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The installed Fashion-MNIST files (Debian's dataset-fashion-mnist) parse with their documented counts. */
@Tag("validation")
class FashionMnistValidationTest {
    @Test
    void theInstalledDataSetHas60000TrainingAnd10000TestImages() {
        assertEquals(60_000, Dataset.load(Dataset.DEFAULT_DIR, "train").n());
        assertEquals(10_000, Dataset.load(Dataset.DEFAULT_DIR, "t10k").n());
    }
}
