package io.yibao.certs;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The leaves {@link DevPki#init} writes with default options, per hierarchy, for parameterized tests. */
final class DevPkiFixture {

    private DevPkiFixture() {}

    static List<String> defaultLeafNames() {
        List<String> names = new ArrayList<>(List.of(DevPki.GATEWAY_TLS, DevPki.GATEWAY_SIGNING, DevPki.PLATFORM_TLS, DevPki.BROKER_TLS));
        Institution.SYNTHETIC.forEach(institution -> names.add(DevPki.clientLeafName(institution.code())));
        return names;
    }

    /** (KeyAlgorithm, leaf name) for every leaf of both hierarchies. */
    static Stream<Arguments> everyLeaf() {
        return Stream.of(KeyAlgorithm.values())
                .flatMap(algorithm -> defaultLeafNames().stream().map(name -> Arguments.of(algorithm, name)));
    }
}
