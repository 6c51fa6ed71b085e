/** Error codes of the registry module, with the Chinese message a user sees. */
import { defineErrors } from '../../core/errors.js';

defineErrors({
  GRID_PARENT_INVALID: { status: 400, message: '上级网格无效' },
  GRID_REGION_INVALID: { status: 400, message: '网格只能建在乡镇、村或村民小组下' },
  GRID_CODE_TAKEN: { status: 409, message: '网格编码已被使用' },
  GRID_STAFF_EXISTS: { status: 409, message: '该网格已有同名同职务的人员' },
  GRID_STAFF_USER_INVALID: { status: 400, message: '关联的账号不存在或不是工作人员账号' },
  INVALID_BOUNDARY: { status: 400, message: '网格边界不是有效的多边形（经纬度须在中国境内）' },
  GRID_NOT_IN_REGION: { status: 400, message: '所选网格不包含该户所在区域' },
  HOUSEHOLD_REGION_INVALID: { status: 400, message: '户只能建在村民小组（或不分组的村）下' },
  HOUSEHOLD_CODE_EXHAUSTED: { status: 409, message: '该村民小组的户编号已用完' },
  HOUSEHOLD_MERGED: { status: 409, message: '该户已合户，不能再修改' },
  HOUSEHOLD_STATUS_INVALID: { status: 409, message: '不允许的户状态变更' },
  RESIDENT_ID_EXISTS: { status: 409, message: '该身份证号码已在本县登记' },
  REVEAL_PURPOSE_REQUIRED: { status: 400, message: '请填写查看用途' },
  PII_NOT_RECORDED: { status: 404, message: '该居民未登记此项信息' },
  NO_HOUSEHOLD: { status: 404, message: '当前账号未关联家庭户' },
});
