import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { BACKEND_KEY, createBackend } from './api/backend'

const app = createApp(App)
app.use(ElementPlus, { locale: zhCn })
app.provide(BACKEND_KEY, createBackend())
app.mount('#app')
