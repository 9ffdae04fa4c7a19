/** One metric value to publish: what the functions' pure metric computations return. */
export interface MetricDatum {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds';
  readonly value: number;
  /** A dimension beyond the service, for metrics broken down by it. */
  readonly dimension?: { readonly name: string; readonly value: string };
}
