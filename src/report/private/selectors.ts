/** A Kubernetes label selector: matchLabels and matchExpressions. */
export interface LabelSelector {
  readonly matchLabels?: { readonly [key: string]: string };
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: string[] }>;
}

/** Whether the labels satisfy a label selector (an empty selector selects everything, as Kubernetes has it). */
export function selects(selector: LabelSelector | undefined, labels: { readonly [key: string]: string } | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => have[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const value = have[expression.key];
    switch (expression.operator) {
      case 'In': return value !== undefined && (expression.values ?? []).includes(value);
      case 'NotIn': return value === undefined || !(expression.values ?? []).includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

/** Whether a Service's plain selector map selects the labels (a Service without selector selects nothing). */
export function serviceSelects(
  selector: { readonly [key: string]: string } | undefined, labels: { readonly [key: string]: string } | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return selects({ matchLabels: selector }, labels);
}
