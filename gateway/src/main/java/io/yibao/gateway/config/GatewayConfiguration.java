package io.yibao.gateway.config;

import io.yibao.adapter.Adapters;
import io.yibao.certs.Credentials;
import io.yibao.certs.DevPki;
import io.yibao.certs.KeyAlgorithm;
import io.yibao.signatures.BundleSigner;
import io.yibao.signatures.SignatureAlgorithm;
import io.yibao.standards.StandardPackage;
import io.yibao.standards.terminology.ConceptMapTranslator;
import io.yibao.standards.validation.CanonicalValidator;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The plain-Java parts the routes call: adapters, validator, signer, code translation. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Adapters adapters() {
        return Adapters.discover();
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
