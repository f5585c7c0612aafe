// Interface text in simplified Chinese, the primary language. Plain, official and calm.
// Keys are nested paths ("nav.signIn"); en.ts must have exactly the same keys.

export const zhCN = {
  site: {
    name: "人民法院司法拍卖与评估平台",
    footer: "人民法院司法拍卖与评估平台 · 平台上的每一步操作均记入审计日志",
  },
  nav: {
    skip: "跳至主要内容",
    label: "主菜单",
    signIn: "登录",
    register: "注册",
    signOut: "退出登录",
    users: "用户管理",
  },
  home: {
    title: "人民法院网络司法拍卖",
    lead: "人民法院在本平台通过网络拍卖，依法处置查封、扣押、冻结的财产。",
    point: {
      public: "竞买人须实名注册并交纳保证金后方可出价；竞价过程中只显示竞买号，不显示竞买人的身份。",
      fair: "拍卖财产的参考价由评估机构确定，评估机构通过可验证的随机摇号选定。",
      record: "每一步操作都记入审计日志，任何篡改都能被发现。",
    },
  },
  form: {
    errorSummary: "请更正以下问题",
  },
  fields: {
    kind: "竞买人类型",
    legalName: "姓名或单位名称",
    identityNumber: "证件号码",
    phone: "手机号码",
    username: "用户名",
    password: "密码",
  },
  register: {
    title: "注册竞买人账户",
    lead: "参加司法拍卖须实名注册。请按您的居民身份证或营业执照如实填写。",
    kind: {
      person: "个人",
      company: "单位（企业或其他组织）",
    },
    hint: {
      legalName: "个人填写居民身份证上的姓名；单位填写营业执照上的名称。",
      identityNumber: "个人填写18位居民身份证号码；单位填写18位统一社会信用代码。",
      username: "3至32个字符，可使用字母、数字及 . _ -，须以字母或数字开头。",
      password: "至少10个字符。",
    },
    submit: "创建账户",
    haveAccount: "已有账户？",
  },
  signIn: {
    title: "登录",
    submit: "登录",
    noAccount: "还没有账户？",
  },
  account: {
    title: "我的账户",
    username: "用户名",
    name: "姓名或名称",
    role: "角色",
    court: "所属法院",
    agency: "所属评估机构",
    kind: "竞买人类型",
    identityNumber: "证件号码",
    phone: "手机号码",
    createdAt: "账户创建时间",
  },
  admin: {
    users: {
      title: "用户管理",
      sessions: "有效登录会话",
      actions: "操作",
      disabled: "已停用",
      revoke: "强制退出登录",
      disable: "停用",
      enable: "启用",
    },
  },
  roles: {
    bidder: "竞买人",
    judge: "法官",
    clerk: "书记员",
    agency_member: "评估机构人员",
    inquiry_platform: "询价平台",
    party: "当事人",
    admin: "平台管理员",
  },
  errors: {
    VALIDATION_FAILED: "提交的信息有误，请检查后重试。",
    UNAUTHENTICATED: "请先登录。",
    FORBIDDEN: "您无权执行此操作。",
    NOT_FOUND: "未找到相关内容。",
    CONFLICT: "此操作与当前状态冲突，请刷新页面后重试。",
    RATE_LIMITED: "尝试次数过多，请稍后再试。",
    INVALID_CREDENTIALS: "用户名或密码不正确。",
    ACCOUNT_DISABLED: "该账户已被停用。如有疑问，请联系平台管理员。",
    SESSION_EXPIRED: "登录已过期，请重新登录。",
    USERNAME_TAKEN: "该用户名已被使用。",
    ID_NUMBER_TAKEN: "该证件号码已注册。",
    ORIGIN_REJECTED: "请求来源不被允许。",
    INTERNAL: "系统出现问题，请稍后再试。",
    page: {
      home: "返回首页",
      forbidden: {
        title: "您无权访问此页面",
        body: "您的账户没有查看此页面的权限。如您认为有误，请联系平台管理员。",
      },
      notFound: {
        title: "找不到此页面",
        body: "如果您是手动输入的网址，请检查是否正确。如果您是通过链接进入的，该页面可能已被移除。",
      },
      unauthenticated: {
        title: "请先登录",
        body: "登录后才能查看此页面。",
      },
      rateLimited: {
        title: "操作过于频繁",
        body: "请等待几分钟后再试。",
      },
      unexpected: {
        title: "抱歉，系统出现问题",
        body: "请稍后再试。",
      },
    },
  },
  validation: {
    required: "请填写此项",
    tooLong: "内容过长，请缩短",
    plainText: "不能包含 < > 符号或控制字符",
    invalid: "请检查填写的内容",
    kind: "请选择以个人还是单位身份注册",
    username: "用户名须为3至32个字符，只能使用字母、数字及 . _ -，并以字母或数字开头",
    passwordShort: "密码至少需要10个字符",
    usernameTaken: "该用户名已被使用，请换一个",
    identityTaken: "该证件号码已注册。如果这是您的账户，请直接登录",
    phone: "请输入11位中国大陆手机号码，例如 13800138000",
    residentId: {
      LENGTH: "身份证号码应为18位",
      FORMAT: "身份证号码前17位应为数字，最后一位为数字或字母X",
      REGION: "身份证号码前两位不是有效的省份代码，请核对号码",
      BIRTH_DATE: "身份证号码第7至14位应为有效的出生日期，请核对号码",
      CHECK_DIGIT: "校验码不正确，请核对号码",
    },
    creditCode: {
      LENGTH: "统一社会信用代码应为18位",
      FORMAT: "统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）",
      CHECK_CHARACTER: "校验码不正确，请核对代码",
    },
  },
} as const;

/** The shape every translation must have: the same keys, any text. */
export type Dictionary = Widen<typeof zhCN>;
type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
