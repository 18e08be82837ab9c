/** The hospital HIS adapter: HL7 v2.3–2.6 ADT and DFT messages to canonical FHIR R4 messages. */
package io.yibao.adapter.hl7v2;
