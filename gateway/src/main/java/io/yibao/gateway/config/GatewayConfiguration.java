package io.yibao.gateway.config;

import io.yibao.adapter.Adapters;
import io.yibao.adapter.InboundAdapter;
import io.yibao.adapter.mapping.MappingAdapters;
import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain-Java parts the routes call: adapters, validator, signer, code translation. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdapterProperties.class)
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The class path's adapters (ServiceLoader) and those of the mapping folders {@code yibao.adapters.mapping-dirs} names. */
    @Bean
    Adapters adapters(AdapterProperties properties) {
        List<InboundAdapter> adapters = new ArrayList<>(Adapters.discover().all().values());
        properties.getMappingDirs().forEach(folder -> adapters.add(MappingAdapters.load(folder)));
        return Adapters.of(adapters);
    }

    /** Compiled once at start-up (about a second and a half); every message after that is a walk. */
    @Bean
    CanonicalValidator canonicalValidator() {
        return CanonicalValidator.create();
    }

    @Bean
    ConceptMapTranslator conceptMapTranslator() {
        return ConceptMapTranslator.of(StandardPackage.load());
    }

    /** Signs forwarded messages with the gateway's signing key of the configured algorithm. */
    @Bean
    BundleSigner bundleSigner(GatewayProperties properties, Clock clock) throws Exception {
        SignatureAlgorithm algorithm = SignatureAlgorithm.valueOf(properties.getSignatureAlgorithm());
        KeyAlgorithm keys = algorithm == SignatureAlgorithm.SM2 ? KeyAlgorithm.SM2 : KeyAlgorithm.EC_P256;
        Credentials credentials = DevPki.credentials(properties.getPki(), keys, DevPki.GATEWAY_SIGNING);
        return new BundleSigner(credentials, algorithm, clock);
    }
}
