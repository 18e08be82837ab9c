package io.yibao.adapter;

import io.yibao.standards.terminology.ConceptMapTranslator;
import java.time.Clock;

/**
 * What the gateway gives an adapter for one translation.
 *
 * @param messageId the gateway's id of this message (a UUID string); adapters use it for the canonical
 *                  Bundle's identifier so that every step refers to the same message
 * @param codes     local-to-national code translation over the standard's ConceptMaps
 * @param clock     the time source for timestamps the native message does not carry
 */
public record TranslationContext(String messageId, ConceptMapTranslator codes, Clock clock) {}
