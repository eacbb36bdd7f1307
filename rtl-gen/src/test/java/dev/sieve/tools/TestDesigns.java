package dev.sieve.tools;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the hand-written Verilog and tool outputs under {@code src/test/resources/tools}. */
final class TestDesigns {

    private TestDesigns() {
    }

    static Path resource(String name) {
        URL url = TestDesigns.class.getResource("/tools/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource tools/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
