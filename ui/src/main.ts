import { createApp } from 'vue'
// Element Plus is imported per component where used (unplugin-vue-components resolves the
// templates' el-* tags and v-loading, unplugin-element-plus the services' styles), not as the
// whole library and its 391 KB stylesheet up front; the locale is set by <el-config-provider>
// in App.vue.
import 'element-plus/theme-chalk/base.css'
import './styles.css'
import App from './App.vue'
import { BACKEND_KEY, createBackend } from './api/backend'

const app = createApp(App)
app.provide(BACKEND_KEY, createBackend())
app.mount('#app')
