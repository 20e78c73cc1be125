import { ElMessage } from 'element-plus'
import { normalizeError } from '../api/backend'
import type { ApiError } from '../bindings/ApiError'

/** Shows a failed call's message as is (it already says what to do next). */
export function showError(e: unknown): ApiError {
  const err = normalizeError(e)
  ElMessage.error({ message: err.message, grouping: true, showClose: true, duration: 6000 })
  return err
}
