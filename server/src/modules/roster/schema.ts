/** TypeBox shapes of the roster API (花名册导入导出). */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ImportQuery = Type.Object({
  regionId: Type.Integer({ minimum: 1, description: '村（社区）的区划 id' }),
  dryRun: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, default: 1, description: '1 = 只校验不写入（默认）；0 = 校验通过后写入' })),
}, { additionalProperties: false });
export type ImportQuery = Static<typeof ImportQuery>;

export const JobParams = Type.Object({ jobId: Type.Integer({ minimum: 1 }) });

export const RowError = Type.Object({
  row: Type.Integer({ description: 'Excel 行号（0 表示整个文件）' }),
  column: Type.String({ description: '列名（中文表头）' }),
  reason: Type.String({ description: '原因（中文）' }),
});

export const JobStatus = Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]);

export const ImportJobSummary = Type.Object({
  id: Type.Integer(),
  status: JobStatus,
  dryRun: Type.Boolean(),
  fileName: Type.String(),
  regionId: Type.Integer(),
  regionName: Type.String(),
  userName: Nullable(Type.String()),
  totalRows: Type.Integer(),
  doneRows: Type.Integer(),
  created: Type.Integer({ description: '新登记的居民（行）数' }),
  updated: Type.Integer({ description: '与已登记居民匹配的行数' }),
  errorCount: Type.Integer(),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});
export type ImportJobSummary = Static<typeof ImportJobSummary>;

export const ImportJob = Type.Object({ ...ImportJobSummary.properties, errors: Type.Array(RowError) });
export type ImportJob = Static<typeof ImportJob>;

export const Accepted = Type.Object({ jobId: Type.Integer() });

export const JobListQuery = Type.Object({
  ...PageQuery.properties,
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });

export const ExportQuery = Type.Object({
  regionId: Type.Integer({ minimum: 1 }),
  reveal: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '1 = 导出完整身份证号与手机号（需“查看完整身份证号与手机号”权限并说明用途，将记入日志）' })),
  purpose: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
}, { additionalProperties: false });
export type ExportQuery = Static<typeof ExportQuery>;
