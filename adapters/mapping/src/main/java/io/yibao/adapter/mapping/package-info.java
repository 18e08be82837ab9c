/**
 * The declarative mapping engine: YAML mapping files that turn native records (CSV rows, fixed-width
 * records; XML and JSON readers slot into {@link io.yibao.adapter.mapping.RecordFormat}) into canonical
 * message Bundles, and {@link io.yibao.adapter.mapping.MappedAdapter}, the adapter built from one mapping.
 * The mapping keys are documented in {@code docs/mapping-reference.md}.
 */
package io.yibao.adapter.mapping;
