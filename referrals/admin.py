# Referrals hold case content: administrators do not see them in the admin site
# (DESIGN.md section 2). Staff work with them through the application's pages.
