import type { ClosedYearStatus } from '@shared/closed-year.ts';
import { apiRequest } from '../../api.ts';

/** The closed year (封账, API.md v2): its state with adjustments; close and reopen (administrators). */
export const fetchClosedYear = (year: number) => apiRequest<ClosedYearStatus>(`/api/admin/years/${year}`);
export const closeYear = (year: number) => apiRequest<ClosedYearStatus>(`/api/admin/years/${year}/close`, { method: 'POST' });
export const reopenYear = (year: number) => apiRequest<ClosedYearStatus>(`/api/admin/years/${year}/close`, { method: 'DELETE' });
