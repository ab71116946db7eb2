-- A throw-away legacy table for samples/mapping-db.yaml (README: "From a
-- database instead of a file"). Made-up people; example.* domains.
CREATE TABLE legacy_users (
  id        bigint PRIMARY KEY,
  login     text NOT NULL,
  email     text,
  mobile    text,
  full_name text,
  groups    text,
  birthday  date
);
INSERT INTO legacy_users VALUES
  (1, 'li.wei',     'Li.Wei@example.com',     '+86 138 0013 8001', '李伟',          'staff,admins', '1985-03-14'),
  (2, 'wang.fang',  'wang.fang@example.cn',   '13900139002',       '王芳',          'customers',    '1992-11-02'),
  (3, 'j.smith',    'j.smith@example.org',    '+44 20 7946 0958',  'John  Smith',   NULL,           NULL),
  (4, 'zhang.min',  'not-an-email',           '13700137004',       '张敏',          'customers',    '1978-07-30'),
  (5, 'chen.jing',  'chen.jing@example.net',  '0086 136 0013 6005','陈静',          'staff',        '2001-01-09');
