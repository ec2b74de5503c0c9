import { object, reportOf, row, synthesizeExample } from './example-output';
import { RowStatus } from '../../src';
import { allowedEvictions, budgetValueProblem } from '../../src/report/private/rows/disruption';

const FRONTEND = 'shop/Deployment/frontend';

const example = synthesizeExample();

describe('the PodDisruptionBudget values the API server accepts', () => {
  const budget = (spec: any) => row(reportOf(example, (copy) => {
    const pdb = object(copy.manifests, 'PodDisruptionBudget', 'frontend');
    delete pdb.spec.maxUnavailable;
    Object.assign(pdb.spec, spec);
  }), 'voluntary-disruption', FRONTEND);

  test('maxUnavailable "1" (a string without %) is rejected: no budget exists', () => {
    const judged = budget({ maxUnavailable: '1' });
    expect(judged.status).toBe(RowStatus.FAIL);
    expect(judged.arithmetic).toContain('PodDisruptionBudget/frontend: maxUnavailable "1" is a string without % (it must be an integer or a percentage such as "25%"): the API server rejects the budget');
    expect(judged.fix).toContain('as a number (maxUnavailable: 1) or a percentage string ("25%")');
  });

  test('minAvailable "2" too; both set, over 100% or negative are rejected; numbers and percentages are accepted', () => {
    expect(budget({ minAvailable: '2' }).status).toBe(RowStatus.FAIL);
    expect(budget({ minAvailable: 2, maxUnavailable: 1 }).arithmetic).toContain('minAvailable and maxUnavailable cannot be both set');
    expect(budget({ maxUnavailable: '150%' }).arithmetic).toContain('is more than 100%');
    expect(budget({ maxUnavailable: -1 }).status).toBe(RowStatus.FAIL);
    expect(budget({ maxUnavailable: 1 }).status).toBe(RowStatus.PASS);
    expect(budget({ minAvailable: '60%' }).status).toBe(RowStatus.PASS);
  });

  test('allowedEvictions: percentages round up, a rejected budget limits nothing', () => {
    expect(allowedEvictions({ maxUnavailable: '25%' }, 3)).toBe(1);
    expect(allowedEvictions({ minAvailable: '60%' }, 3)).toBe(1);
    expect(allowedEvictions({ maxUnavailable: 1 }, 3)).toBe(1);
    expect(allowedEvictions({ maxUnavailable: '1' }, 3)).toBe(3);
    expect(allowedEvictions({ maxUnavailable: 'one' }, 3)).toBe(3);
    expect(budgetValueProblem({ maxUnavailable: 1.5 })).toContain('not a non-negative integer');
    expect(budgetValueProblem({ maxUnavailable: '0%' })).toBeUndefined();
  });
});
