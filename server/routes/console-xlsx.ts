import { Router } from 'express';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { requireRole } from '../http/auth.ts';
import type { AuthService } from '../../core/services/auth-service.ts';

const cell = z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]);
export const tableBody = z.object({
  fileName: z.string().min(1).max(120),
  sheet: z.string().min(1).max(31),
  columns: z.array(z.string().max(200)).min(1).max(100),
  rows: z.array(z.array(cell).max(100)).max(50_000),
});

/**
 * POST /api/console/xlsx (manager) `{ fileName, sheet, columns, rows }` → the table the console shows,
 * as an XLSX streamed back (the browser never loads an XLSX library). Numbers stay numbers.
 */
export function consoleXlsxRoutes(auth: AuthService): Router {
  const router = Router();
  router.post('/console/xlsx', requireRole(auth, 'manager'), async (req, res) => {
    const parsed = tableBody.safeParse(req.body);
    if (!parsed.success) throw new AppError('validation_failed', msg('xlsx.bad_body'));
    const { fileName, sheet, columns, rows } = parsed.data;
    const safeName = `${fileName.replace(/[\\/:*?"<>|\n]/g, '_').replace(/\.xlsx$/i, '')}.xlsx`;
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(safeName)}`);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
    const worksheet = workbook.addWorksheet(sheet.replace(/[\\/*?:[\]]/g, '_'));
    worksheet.columns = columns.map((header) => ({ header, width: Math.min(40, Math.max(10, header.length * 2 + 4)) }));
    worksheet.getRow(1).font = { bold: true };
    worksheet.getRow(1).commit();
    for (const row of rows) worksheet.addRow(row).commit();
    worksheet.commit();
    await workbook.commit();
  });
  return router;
}
