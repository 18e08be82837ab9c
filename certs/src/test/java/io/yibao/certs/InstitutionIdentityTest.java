package io.yibao.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link InstitutionIdentity} reads the institution code from client certificates, and {@link Institution} checks it. */
class InstitutionIdentityTest {

    @TempDir
    static Path pki;

    @BeforeAll
    static void createPki() throws Exception {
        DevPki.init(pki, DevPki.Options.defaults().withInstitutions(List.of(
                Institution.SYNTHETIC.get(0),
                Institution.SYNTHETIC.get(1),
                Institution.SYNTHETIC.get(2),
                Institution.SYNTHETIC.get(3),
                new Institution("H44030600017", "测试深圳第二医院 (Synthetic Test Hospital 2)",
                        Institution.Kind.HOSPITAL))));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void codeOfReturnsTheCodeOfEveryInstitutionCertificate(KeyAlgorithm algorithm) throws Exception {
        for (String code : List.of("H11010500001", "P11010500002", "B11010500003", "T11010500004", "H44030600017")) {
            X509Certificate certificate = certificate(algorithm, DevPki.clientLeafName(code));

            assertThat(InstitutionIdentity.codeOf(certificate)).isEqualTo(code);
            assertThat(InstitutionIdentity.findCode(certificate)).contains(code);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DevPki.GATEWAY_TLS, DevPki.GATEWAY_SIGNING, DevPki.PLATFORM_TLS, "intermediate", "root"})
    void codeOfRejectsCertificatesWithoutAnInstitutionCode(String name) throws Exception {
        X509Certificate certificate = certificate(KeyAlgorithm.EC_P256, name);

        assertThatThrownBy(() -> InstitutionIdentity.codeOf(certificate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an institution code");
        assertThat(InstitutionIdentity.findCode(certificate)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"H1101050000", "H110105000012", "h11010500001", "HX1010500001", "11010500001H", ""})
    void malformedCodesAreRejected(String code) {
        assertThat(Institution.isWellFormedCode(code)).isFalse();
        assertThatThrownBy(() -> new Institution(code, "测试", Institution.Kind.HOSPITAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letter, a 6-digit region code and a 5-digit sequence");
    }

    @Test
    void theCodePrefixMustMatchTheKind() {
        assertThatThrownBy(() -> new Institution("P11010500009", "测试医院", Institution.Kind.HOSPITAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with 'H'");
    }

    @Test
    void syntheticInstitutionsCoverEveryKind() {
        assertThat(Institution.SYNTHETIC).extracting(Institution::kind)
                .containsExactly(Institution.Kind.values());
        assertThat(Institution.SYNTHETIC).allSatisfy(institution ->
                assertThat(institution.name()).contains("测试").contains("Synthetic"));
    }

    private static X509Certificate certificate(KeyAlgorithm algorithm, String name) throws Exception {
        return Credentials.readCertificates(DevPki.hierarchyDirectory(pki, algorithm).resolve(name + ".pem")).get(0);
    }
}
